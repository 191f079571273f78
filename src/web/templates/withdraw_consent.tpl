{{%AUTOESCAPE context="HTML"}}
<p class="warning" id="withdraw-warning">Withdraw {{NAME}}'s consent for {{LABEL}}? From now on no photo of {{NAME}} can be published on {{LABEL}}. Photos of {{NAME}} waiting for a senior leader are checked again, and any photo of {{NAME}} already published there must come down: it will be listed on the Takedowns page.</p>
<p>Do this only when the parent (or {{NAME}}, if staff) has withdrawn consent.</p>
<form id="withdraw-confirm" method="post" action="/register/{{ID}}/consent">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="channel" value="{{CHANNEL}}"><input type="hidden" name="granted" value="no"><input type="hidden" name="confirmed" value="yes">
<button type="submit" class="danger">Yes, withdraw consent</button> <a id="withdraw-cancel" href="/register/{{ID}}">Cancel</a></form>
