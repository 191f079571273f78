{{%AUTOESCAPE context="HTML"}}
{{#DONE}}<p class="notice" id="incident-decided">{{TEXT}}</p>{{/DONE}}
{{#OVERDUE}}<p class="notice" id="overdue-takedowns">{{COUNT}} published photo(s) that must come down have not been taken down after {{DAYS}} days. See <a href="/takedowns">Takedowns</a>.</p>{{/OVERDUE}}
{{#INCIDENTS_ERROR}}<p class="error">The incidents could not be read.</p>{{/INCIDENTS_ERROR}}
{{#ANY_POSSIBLE}}<h2>Possible incidents: is it them?</h2>
<p>Consent Guard thought each of these faces was possibly a pupil who must not appear, but was not
sure. Look at the face and say whether it is them. Only the ones you confirm count as incidents in
the termly report. Either way the photo stays as the checks left it: dismissing does not publish
it.</p>
<table id="possible-incidents"><tr><th>Face</th><th>Possibly</th><th>Channel</th><th>What</th><th>When (UTC)</th><th>Photo</th><th>Is it them?</th></tr>
{{#POSSIBLE}}<tr class="possible-incident" data-id="{{ID}}" data-person="{{PERSON_ID}}">
<td>{{#FACE}}<img class="incident-face" src="/incidents/{{ID}}/face.jpg" alt="The face that was possibly {{NAME}}" width="160">{{/FACE}}{{#NO_FACE}}<small>{{WHY}}</small>{{/NO_FACE}}</td>
<td>{{NAME}} ({{PERSON_ID}})</td>
<td>{{CHANNEL}}</td>
<td>{{WHAT}}</td>
<td>{{WHEN}}</td>
<td>{{PHOTO}}{{#JOB}}<br><a href="/review/{{JOB_ID}}">Open the photo</a>{{/JOB}}</td>
<td><form class="incident-confirm" method="post" action="/incidents/{{ID}}/confirm">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">It is them: confirm the incident</button></form>
<form class="incident-dismiss" method="post" action="/incidents/{{ID}}/dismiss">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">Not them: dismiss</button></form></td>
</tr>
{{/POSSIBLE}}</table>{{/ANY_POSSIBLE}}
<h2>Incidents</h2>
{{#NO_INCIDENTS}}<p>There have been no incidents.</p>{{/NO_INCIDENTS}}
{{#ANY_INCIDENTS}}<table id="incidents"><tr><th>When (UTC)</th><th>Person</th><th>Channel</th><th>What</th><th>How they were found</th><th>Photo</th></tr>
{{#INCIDENT}}<tr data-id="{{ID}}"><td>{{WHEN}}</td><td>{{NAME}} ({{PERSON_ID}})</td><td>{{CHANNEL}}</td><td>{{WHAT}}</td><td>{{HOW}}</td><td>{{PHOTO}}</td></tr>
{{/INCIDENT}}</table>{{/ANY_INCIDENTS}}
{{#ANY_DISMISSED}}<h2>Dismissed: it was not them</h2>
<table id="dismissed-incidents"><tr><th>When (UTC)</th><th>Was possibly</th><th>Channel</th><th>Photo</th><th>Dismissed by</th></tr>
{{#DISMISSED}}<tr data-id="{{ID}}"><td>{{WHEN}}</td><td>{{NAME}} ({{PERSON_ID}})</td><td>{{CHANNEL}}</td><td>{{PHOTO}}</td><td>{{BY}}, {{DECIDED}}</td></tr>
{{/DISMISSED}}</table>{{/ANY_DISMISSED}}
<h2>The no-photo list</h2>
<p>These notes are restricted to the designated safeguarding lead.</p>
{{#REGISTER_ERROR}}<p class="error">The register could not be read.</p>{{/REGISTER_ERROR}}
<table id="no-photo"><tr><th>Person</th><th>Restricted note</th></tr>
{{#NO_PHOTO}}<tr><td>{{NAME}} ({{ID}})</td><td>{{NOTE}}</td></tr>
{{/NO_PHOTO}}</table>
