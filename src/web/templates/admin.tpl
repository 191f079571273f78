{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}{{#ERROR}}<p class="error">{{TEXT}}</p>{{/ERROR}}
<h2>Accounts</h2>
<table id="accounts"><tr><th>Name</th><th>Role</th><th>Email (for Consent Guard's messages)</th><th></th></tr>
{{#ACCOUNT}}<tr data-name="{{NAME}}"><td>{{NAME}}</td><td>{{ROLE}}</td>
<td><form class="email" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><input type="email" name="email" value="{{EMAIL}}" maxlength="254"> <button type="submit" name="set" value="email">Save</button></form></td>
<td><form method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><input type="hidden" name="switch" value="{{SWITCH}}"><button type="submit">{{SWITCH_TEXT}}</button></form></td></tr>
{{/ACCOUNT}}</table>
<form id="new-account" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}">
<h3>New account</h3><label>Name <input name="name" required></label> <label>Role <select name="role"><option>office</option><option>slt</option><option>dsl</option><option>admin</option></select></label>
<label>Email <input type="email" name="email" maxlength="254"></label>
<label>First password <input name="password" type="password" required minlength="{{MIN_PASSWORD}}"></label> <button type="submit">Make the account</button></form>
<p>{{EMAIL_STATE}}</p>
<h2>API keys</h2>
<table id="keys"><tr><th>Name</th><th>Channels</th><th>Manages the register</th><th>Made</th><th></th></tr>
{{#KEY}}<tr><td>{{NAME}}</td><td>{{CHANNELS}}</td><td>{{MANAGES}}</td><td>{{MADE}}</td><td>{{#REVOKED}}revoked{{/REVOKED}}{{#ACTIVE}}<form method="post" action="/admin/revoke-key"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="id" value="{{ID}}"><button type="submit">Revoke</button></form>{{/ACTIVE}}</td></tr>
{{/KEY}}</table>
<p>Make a new key, and register the school's cameras and tablets, on <a href="/devices">Devices and API keys</a>.</p>
