{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}
{{#NONE_HELD}}<p>No photos are waiting for a decision.</p>{{/NONE_HELD}}
{{#ANY_HELD}}<table><tr><th>Photo</th><th>Channel</th><th>Submitted</th><th>Why it is held</th></tr>
{{#HELD}}<tr><td><a class="held-photo" href="/review/{{ID}}">{{FILE}}</a></td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td>{{#REASON}}{{TEXT}}<br>{{/REASON}}</td></tr>
{{/HELD}}</table>{{/ANY_HELD}}
{{#ANY_COVERABLE}}<h2>Blocked photos a covered copy could save</h2>
<p>{{SENTENCE}}</p>
<table id="coverable"><tr><th>Photo</th><th>Channel</th><th>Submitted</th><th>Why it is blocked</th></tr>
{{#BLOCKED}}<tr><td><a class="blocked-photo" href="/review/{{ID}}">{{FILE}}</a></td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td>{{#REASON}}{{TEXT}}<br>{{/REASON}}</td></tr>
{{/BLOCKED}}</table>{{/ANY_COVERABLE}}
