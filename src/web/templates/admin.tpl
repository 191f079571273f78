{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice" role="status">{{TEXT}}</p>{{/NOTICE}}{{#ERROR}}<p class="error" role="alert">{{TEXT}}</p>{{/ERROR}}
<h2>Accounts</h2>
<p class="hint">One person may hold several roles: in a small school the head teacher is often a senior leader, the DSL and the administrator at once.</p>
<table id="accounts" class="list stack"><thead><tr><th scope="col">Name</th><th scope="col">Roles</th><th scope="col">Email (for Consent Guard's messages)</th><th scope="col">Password</th><th scope="col">Account</th></tr></thead><tbody>
{{#ACCOUNT}}<tr data-name="{{NAME}}"><th scope="row">{{NAME}}{{#SWITCHED_OFF}} <span class="status-refused">(switched off)</span>{{/SWITCHED_OFF}}</th>
<td><form class="roles" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><fieldset><legend>Roles of {{NAME}}</legend>{{#ROLE}}<label><input type="checkbox" name="role" value="{{VALUE}}" {{CHECKED}}> {{WORDS}}</label> {{/ROLE}}</fieldset><button type="submit" name="set" value="roles">Save roles</button></form></td>
<td><form class="email" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><label>Email of {{NAME}} <input type="email" name="email" value="{{EMAIL}}" maxlength="254"></label> <button type="submit" name="set" value="email">Save email</button></form></td>
<td><form class="password" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><label>New password for {{NAME}} <input name="password" type="password" required minlength="{{MIN_PASSWORD}}" autocomplete="new-password"></label> <label>The new password again <input name="password_again" type="password" required minlength="{{MIN_PASSWORD}}" autocomplete="new-password"></label> <button type="submit" name="set" value="password">Reset password</button></form></td>
<td>{{#SWITCHED_OFF}}<form class="switch" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><input type="hidden" name="switch" value="on"><button type="submit" class="secondary">Switch on {{NAME}}</button></form>{{/SWITCHED_OFF}}{{#SWITCHED_ON}}<details class="switch-confirm"><summary>Switch off {{NAME}}</summary><form class="switch" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="name" value="{{NAME}}"><input type="hidden" name="switch" value="off"><p>{{NAME}} is signed out and cannot sign in until the account is switched on again.</p><button type="submit" class="danger">Yes, switch off {{NAME}}</button></form></details>{{/SWITCHED_ON}}</td></tr>
{{/ACCOUNT}}</tbody></table>
<form id="new-account" method="post" action="/admin/account"><input type="hidden" name="csrf" value="{{CSRF}}">
<h3>New account</h3>
<div class="form-row"><label for="new-name">Name (letters, digits, dots, hyphens)</label><input id="new-name" name="name" required maxlength="64" autocomplete="off"></div>
<fieldset><legend>Roles</legend>{{#NEW_ROLE}}<label><input type="checkbox" name="role" value="{{VALUE}}"> {{WORDS}}</label> {{/NEW_ROLE}}</fieldset>
<div class="form-row"><label for="new-email">Email (optional)</label><input id="new-email" type="email" name="email" maxlength="254"></div>
<div class="form-row"><label for="new-password">First password (at least {{MIN_PASSWORD}} characters)</label><input id="new-password" name="password" type="password" required minlength="{{MIN_PASSWORD}}" autocomplete="new-password"></div>
<p><button type="submit">Make the account</button></p></form>
<p class="hint">{{EMAIL_STATE}}</p>
<h2>API keys</h2>
<table id="keys" class="list"><thead><tr><th scope="col">Name</th><th scope="col">Channels</th><th scope="col">Manages the register</th><th scope="col">Made</th><th scope="col">State</th></tr></thead><tbody>
{{#KEY}}<tr><th scope="row">{{NAME}}</th><td>{{CHANNELS}}</td><td>{{MANAGES}}</td><td>{{MADE}}</td><td>{{#REVOKED}}Revoked{{/REVOKED}}{{#ACTIVE}}<details class="revoke-confirm"><summary>Revoke {{NAME}}</summary><form method="post" action="/admin/revoke-key"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="id" value="{{ID}}"><p>Whatever uses this key (the website's CMS) stops working until it is given a new one.</p><button type="submit" class="danger">Yes, revoke {{NAME}}</button></form></details>{{/ACTIVE}}</td></tr>
{{/KEY}}</tbody></table>
<p>Make a new key, and register the school's cameras and tablets, on <a href="/devices">Devices and API keys</a>.</p>
