{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}
<p><a href="/register">All people</a></p>
<h2>{{NAME}} ({{ID}})</h2>
<p>{{WHO}}.{{#LEFT}} Left the school on {{LEFT_ON}}.{{/LEFT}}</p>
<h2>Consent</h2>
<table id="consent"><tr><th>Channel</th><th>Now</th><th>Change</th></tr>
{{#CHANNEL}}<tr data-channel="{{CHANNEL}}"><td>{{LABEL}}</td><td class="consent-{{STATE}}">{{TEXT}}</td>
<td>{{#CAN_EDIT}}{{#NOT_GRANTED}}<form class="consent-change" method="post" action="/register/{{ID}}/consent">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="channel" value="{{CHANNEL}}">
<input type="hidden" name="granted" value="yes"><label>Consent given until (leave empty if it does not end) <input type="date" name="expires_on"></label> <button type="submit">Record consent for {{LABEL}}</button>
</form>{{/NOT_GRANTED}}{{#GRANTED}}<form class="consent-withdraw" method="get" action="/register/{{ID}}/withdraw"><input type="hidden" name="channel" value="{{CHANNEL}}"><button type="submit">Withdraw consent for {{LABEL}}</button></form>{{/GRANTED}}{{/CAN_EDIT}}</td></tr>
{{/CHANNEL}}</table>
<h2>The no-photo list</h2>
<p id="no-photo-state">{{#NO_PHOTO}}<strong>On the no-photo list.</strong>{{/NO_PHOTO}}{{#PHOTOS_ALLOWED}}Not on the no-photo list.{{/PHOTOS_ALLOWED}}</p>
{{#CAN_EDIT_NO_PHOTO}}<form id="no-photo" method="post" action="/register/{{ID}}/no-photo">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label><input type="checkbox" name="no_photo" value="1"{{#NO_PHOTO}} checked{{/NO_PHOTO}}> On the no-photo list</label>
{{#SEES_NOTE}}<br><label>Restricted note (only the DSL sees it)<br><textarea name="note" maxlength="2000">{{NOTE}}</textarea></label>{{/SEES_NOTE}}
<button type="submit">Save</button></form>{{/CAN_EDIT_NO_PHOTO}}
<h2>Biometric consent</h2>
<p id="biometric-state">{{BIOMETRIC}}; {{TEMPLATES}} face template(s){{#NEWEST}}, the newest from a photo taken {{NEWEST_DATE}}{{/NEWEST}}.</p>
{{#CAN_EDIT}}<form id="biometric" method="post" action="/register/{{ID}}/biometric">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="biometric-choice">Biometric consent</label>
<select id="biometric-choice" name="biometric" aria-describedby="biometric-hint">{{#BIOMETRIC_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/BIOMETRIC_OPTION}}</select>
<button type="submit">Record biometric consent</button>
<p class="hint" id="biometric-hint">Face templates are kept only while biometric consent is given. A pupil's own objection outranks the parent's consent.</p></form>
<h3 id="reference">Reference photos</h3>
{{#NO_REFERENCE}}<p>No reference photos are kept.</p>{{/NO_REFERENCE}}
<ul id="reference-photos">{{#REFERENCE}}<li data-source="{{SOURCE}}"><img src="/register/{{ID}}/reference/{{PHOTO}}.jpg" alt="Reference photo {{SOURCE}}" height="120">
{{SOURCE}}: taken {{DATE}}, added {{ADDED}} by {{BY}}.
<details class="remove-reference-confirm"><summary>Remove this photo</summary><form class="remove-reference" method="post" action="/register/{{ID}}/reference/{{PHOTO}}/remove"><input type="hidden" name="csrf" value="{{CSRF}}"><p>The photo and the template made from it are deleted; this cannot be undone.</p><button type="submit" class="danger">Yes, remove this photo and its template</button></form></details></li>
{{/REFERENCE}}</ul>
{{#CAN_ENROL}}<form id="enrol" method="post" action="/register/{{ID}}/reference" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Photos of {{NAME}}'s face (one person in each, facing the camera) <input type="file" name="photo" accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif,.heic,.heif,.avif" multiple></label>
<button type="submit">Enrol</button></form>{{/CAN_ENROL}}
{{#ANY_OFFERED}}<h3 id="offered">Faces offered from reviewed photos ({{OFFERED_COUNT}})</h3>
<p>A senior leader named {{NAME}} in these photos. Children's faces change: adding a face keeps it as a reference photo and makes a new face template from it, so that Consent Guard goes on recognising {{NAME}}. Add only a clear face of {{NAME}}; the same checks as an uploaded photo apply, and a face that fails them is not kept.</p>
<ul id="offered-faces">{{#OFFER}}<li data-offer="{{OFFER}}">{{#ADDABLE}}<img src="/register/{{ID}}/offered/{{OFFER}}.jpg" alt="The face offered from {{FILE}}" height="160">
{{/ADDABLE}}From {{FILE}}, {{HOW}} by {{BY}} on {{AT}}.
{{#NOT_ADDABLE}}<p class="not-addable">{{WHY}}</p>{{/NOT_ADDABLE}}
{{#ADDABLE}}<form class="add-offered" method="post" action="/register/{{ID}}/offered/{{OFFER}}/add"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Add to reference photos</button></form>{{/ADDABLE}}
<form class="decline-offered" method="post" action="/register/{{ID}}/offered/{{OFFER}}/decline"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Not this one</button></form></li>
{{/OFFER}}</ul>{{/ANY_OFFERED}}
{{#NO_ENROL}}<p>Reference photos can be kept only while biometric consent is given. Withdrawing it deletes them with the templates.</p>{{/NO_ENROL}}
<h2>Leaving</h2>
<form id="left" method="post" action="/register/{{ID}}/left">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Left the school on <input type="date" name="left_on" value="{{LEFT_ON}}"></label>
<button type="submit">Save</button></form>{{/CAN_EDIT}}
<h2>History</h2>
{{#NO_HISTORY}}<p>No changes are recorded.</p>{{/NO_HISTORY}}
<table class="list" id="history"><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What changed</th></tr>{{#CHANGE}}<tr><td>{{AT}}</td><td>{{BY}}</td><td>{{WHAT}}</td></tr>{{/CHANGE}}</table>
