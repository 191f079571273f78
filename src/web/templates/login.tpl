{{%AUTOESCAPE context="HTML"}}
{{#ERROR}}<p class="error">{{TEXT}}</p>{{/ERROR}}
<form id="login" method="post" action="/login"><input type="hidden" name="csrf" value="{{CSRF}}">
<p><label>Name<br><input name="username" autocomplete="username" required value="{{NAME}}"></label></p>
<p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form>
