{{%AUTOESCAPE context="HTML"}}
{{#ERROR}}<p class="error">{{MESSAGE}}</p>{{/ERROR}}
<p>Consent Guard has no accounts yet. Make the first administrator here. You need the set-up
code from the service's log (it looks like ABCD-EFGH-JKLM). It works once.</p>
<form id="setup" method="post" action="/setup">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p><label>Set-up code<br><input name="code" required autocomplete="off" value=""></label></p>
<p><label>Your account name (letters, digits, dots, hyphens)<br>
<input name="username" required autocomplete="username" value="{{NAME}}"></label></p>
<p><label>Password (at least {{MIN_PASSWORD}} characters)<br>
<input name="password" type="password" required autocomplete="new-password"></label></p>
<p><label>The password again<br>
<input name="password_again" type="password" required autocomplete="new-password"></label></p>
<p><button type="submit">Make the administrator</button></p>
</form>
