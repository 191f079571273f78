{{%AUTOESCAPE context="HTML"}}
<form id="register-search" method="get" action="/register">
<label>Name or id <input name="q" value="{{Q}}"></label>
<label>Year <input name="year" size="4" value="{{YEAR}}"></label>
<label>Consent for <select name="channel"><option value="">any channel</option>{{#CHANNEL_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/CHANNEL_OPTION}}</select></label>
<label><select name="consent"><option value="">given or not</option><option value="yes"{{#CONSENT_YES}} selected{{/CONSENT_YES}}>given</option><option value="no"{{#CONSENT_NO}} selected{{/CONSENT_NO}}>not given</option></select></label>
<label><input type="checkbox" name="no_photo" value="1"{{#NO_PHOTO_CHECKED}} checked{{/NO_PHOTO_CHECKED}}> no-photo list</label>
<label>Biometric <select name="biometric"><option value="">any</option>{{#BIOMETRIC_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/BIOMETRIC_OPTION}}</select></label>
<label>Enrolled <select name="enrolled"><option value="">any</option><option value="yes"{{#ENROLLED_YES}} selected{{/ENROLLED_YES}}>yes</option><option value="no"{{#ENROLLED_NO}} selected{{/ENROLLED_NO}}>no</option><option value="stale"{{#ENROLLED_STALE}} selected{{/ENROLLED_STALE}}>to photograph again</option></select></label>
<button type="submit">Find</button>
</form>
<p>{{COUNT}} of {{TOTAL}} people.</p>
{{#CAN_EDIT}}<p><a href="/import">Import the register from the MIS (CSV)</a></p>
<form id="re-enrol" method="post" action="/re-enrol"><input type="hidden" name="csrf" value="{{CSRF}}">
After the face engine is updated: <button type="submit">Enrol everyone again from their kept reference photos</button></form>{{/CAN_EDIT}}
<table id="register"><tr><th>Person</th><th>Year</th>{{#CHANNEL_HEADING}}<th>{{NAME}}</th>{{/CHANNEL_HEADING}}<th>No photo</th><th>Biometric</th><th>Templates</th></tr>
{{#PERSON}}<tr class="person" data-id="{{ID}}"><td><a href="/register/{{ID}}">{{NAME}}</a> ({{ID}}){{#STAFF}} staff{{/STAFF}}{{#LEFT}} <em>left {{LEFT_ON}}</em>{{/LEFT}}</td><td>{{YEAR}}</td>{{#CONSENT}}<td class="consent-{{STATE}}">{{TEXT}}</td>{{/CONSENT}}<td>{{#NO_PHOTO}}<strong>NO PHOTO</strong>{{/NO_PHOTO}}</td><td>{{BIOMETRIC}}</td><td>{{TEMPLATES}}{{#STALE}} <em>to photograph again</em>{{/STALE}}</td></tr>
{{/PERSON}}</table>
