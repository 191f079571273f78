{{%AUTOESCAPE context="HTML"}}
{{#OVERDUE}}<p class="notice" id="overdue-takedowns">{{COUNT}} published photo(s) that must come down have not been taken down after {{DAYS}} days. See <a href="/takedowns">Takedowns</a>.</p>{{/OVERDUE}}
{{#INCIDENTS_ERROR}}<p class="error">The incidents could not be read.</p>{{/INCIDENTS_ERROR}}
{{#NO_INCIDENTS}}<p>There have been no incidents.</p>{{/NO_INCIDENTS}}
{{#ANY_INCIDENTS}}<table id="incidents"><tr><th>When (UTC)</th><th>Person</th><th>Channel</th><th>What</th><th>How they were found</th><th>Photo</th></tr>
{{#INCIDENT}}<tr><td>{{WHEN}}</td><td>{{NAME}} ({{ID}})</td><td>{{CHANNEL}}</td><td>{{WHAT}}</td><td>{{HOW}}</td><td>{{PHOTO}}</td></tr>
{{/INCIDENT}}</table>{{/ANY_INCIDENTS}}
<h2>The no-photo list</h2>
<p>These notes are restricted to the designated safeguarding lead.</p>
{{#REGISTER_ERROR}}<p class="error">The register could not be read.</p>{{/REGISTER_ERROR}}
<table id="no-photo"><tr><th>Person</th><th>Restricted note</th></tr>
{{#NO_PHOTO}}<tr><td>{{NAME}} ({{ID}})</td><td>{{NOTE}}</td></tr>
{{/NO_PHOTO}}</table>
