{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice" role="status">{{TEXT}}</p>{{/NOTICE}}{{#ERROR}}<p class="error" role="alert">{{TEXT}}</p>{{/ERROR}}
{{#FIRST_RUN}}<div class="warning"><p>Consent Guard has no accounts yet. <a href="/setup">Set it up and make the first administrator</a>, with the set-up code from the service's log.</p></div>{{/FIRST_RUN}}
<form id="login" method="post" action="/login"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="form-row"><label for="username">Name</label><input id="username" name="username" autocomplete="username" required value="{{NAME}}"></div>
<div class="form-row"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<p><button type="submit">Sign in</button></p></form>
<p class="hint">Forgotten your password? Ask the Consent Guard administrator to reset it.</p>
