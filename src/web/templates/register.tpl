{{%AUTOESCAPE context="HTML"}}
{{#STALE_NOTICE}}<div class="notice" id="stale-notice"><p><strong>To photograph again ({{STALE_COUNT}}).</strong> Children's faces change, so Consent Guard no longer trusts a reference photo over {{MONTHS}} months old to recognise them (nor one from an earlier version): their photos go to a senior leader. Take a new photo of each, add it on their page, and they are recognised again. <a href="/register?enrolled=stale">Show only them</a>.</p>
<ul>{{#STALE_PERSON}}<li data-id="{{ID}}"><a href="/register/{{ID}}">{{NAME}}</a>: {{WHY}}</li>{{/STALE_PERSON}}</ul></div>{{/STALE_NOTICE}}
{{#OFFERED_NOTICE}}<div class="notice" id="offered-notice"><p><strong>Faces to add to reference photos ({{OFFERED_COUNT}}).</strong> Senior leaders named these children in photos they reviewed. An administrator can add each face on the child's page, so that Consent Guard keeps recognising them as they grow, or turn it down.</p>
<ul>{{#OFFERED_PERSON}}<li data-id="{{ID}}"><a href="/register/{{ID}}#offered">{{NAME}}</a>: {{FACES}} face(s)</li>{{/OFFERED_PERSON}}</ul></div>{{/OFFERED_NOTICE}}
{{#LOOKALIKE_NOTICE}}<div class="notice" id="lookalike-notice"><p><strong>People Consent Guard finds hard to tell apart.</strong></p>
<ul>{{#LOOKALIKE}}<li>{{TEXT}}</li>{{/LOOKALIKE}}</ul><p>{{ADVICE}}</p></div>{{/LOOKALIKE_NOTICE}}
<form id="register-search" method="get" action="/register">
<label>Name or id <input name="q" value="{{Q}}"></label>
<label>Year <input name="year" size="4" value="{{YEAR}}"></label>
<label>Consent for <select name="channel"><option value="">any channel</option>{{#CHANNEL_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/CHANNEL_OPTION}}</select></label>
<label>Consent <select name="consent"><option value="">given or not</option><option value="yes"{{#CONSENT_YES}} selected{{/CONSENT_YES}}>given</option><option value="no"{{#CONSENT_NO}} selected{{/CONSENT_NO}}>not given</option></select></label>
<label><input type="checkbox" name="no_photo" value="1"{{#NO_PHOTO_CHECKED}} checked{{/NO_PHOTO_CHECKED}}> no-photo list</label>
<label>Biometric <select name="biometric"><option value="">any</option>{{#BIOMETRIC_OPTION}}<option value="{{NAME}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/BIOMETRIC_OPTION}}</select></label>
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
