{{%AUTOESCAPE context="HTML"}}
{{#ERROR}}<p class="error" role="alert">{{TEXT}}</p>{{/ERROR}}
<dl class="facts"><dt>Name</dt><dd>{{NAME}}</dd><dt>Roles</dt><dd>{{ROLES}}</dd><dt>Email</dt><dd>{{EMAIL}}</dd></dl>
<p class="hint">An administrator changes your roles and email address on the Accounts page.</p>
<h2>Change your password</h2>
<form id="change-password" method="post" action="/account/password"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="form-row"><label for="current">Your current password</label><input id="current" name="current" type="password" required autocomplete="current-password"></div>
<div class="form-row"><label for="new-password">New password (at least {{MIN_PASSWORD}} characters)</label><input id="new-password" name="password" type="password" required minlength="{{MIN_PASSWORD}}" autocomplete="new-password"></div>
<div class="form-row"><label for="password-again">The new password again</label><input id="password-again" name="password_again" type="password" required minlength="{{MIN_PASSWORD}}" autocomplete="new-password"></div>
<p><button type="submit">Change my password</button></p>
<p class="hint">Changing it signs you out everywhere, here too; then you sign in with the new one.</p></form>
