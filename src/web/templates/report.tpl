{{%AUTOESCAPE context="HTML"}}
<p>The report to governors on photos and consent: what happened to the photos staff submitted, why photos were stopped, what senior leaders decided, and every incident. Choose a term, or your own dates.</p>
<form id="report-term" method="get" action="/report">
<label for="term">Term</label>
<select id="term" name="term" aria-describedby="term-hint">{{#TERM_OPTION}}<option value="{{KEY}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/TERM_OPTION}}</select>
<button type="submit">Show this term</button>
<p class="hint" id="term-hint">Autumn: 1 September to 31 December. Spring: 1 January to Easter Sunday. Summer: Easter Monday to 31 August.</p>
</form>
<details id="report-dates"{{#CUSTOM}} open{{/CUSTOM}}><summary>Or choose your own dates</summary>
<form id="report-custom" method="get" action="/report">
{{#DATE_PROBLEM}}<p class="error" id="date-problem">{{TEXT}}</p>{{/DATE_PROBLEM}}
<label for="from">From</label> <input type="date" id="from" name="from" value="{{FROM}}">
<label for="to">to</label> <input type="date" id="to" name="to" value="{{TO}}">
<button type="submit">Show these dates</button>
<p class="hint">Both days are included.</p>
</form></details>
{{#REPORT}}<h2 id="report-period">{{PERIOD}}</h2>
<p><a id="report-csv" href="/report.csv?from={{FROM}}&amp;to={{TO}}">Download as CSV (for a spreadsheet)</a> · <a id="report-printable" href="/report.html?from={{FROM}}&amp;to={{TO}}">Printable page for governors</a></p>
<h3>Summary</h3>
<dl class="facts" id="report-summary">{{#SUMMARY}}<div data-item="{{ITEM}}"><dt>{{LABEL}}</dt><dd class="figure">{{COUNT}}</dd></div>
{{/SUMMARY}}</dl>
<h3>What happened to the photos</h3>
{{#NO_PHOTOS}}<p>No photos were submitted in this period.</p>{{/NO_PHOTOS}}
{{#ANY_PHOTOS}}<table class="list" id="report-outcomes"><tr><th scope="col">What happened</th>{{#CHANNEL_HEADING}}<th scope="col">{{NAME}}</th>{{/CHANNEL_HEADING}}<th scope="col">All channels</th></tr>
{{#OUTCOME}}<tr data-outcome="{{OUTCOME}}"><th scope="row">{{LABEL}}</th>{{#CELL}}<td data-channel="{{CHANNEL}}" data-outcome="{{OUTCOME}}">{{COUNT}}</td>{{/CELL}}<td>{{TOTAL}}</td></tr>
{{/OUTCOME}}<tr data-outcome="all"><th scope="row">All photos submitted</th>{{#CHANNEL_TOTAL}}<td data-channel="{{CHANNEL}}">{{COUNT}}</td>{{/CHANNEL_TOTAL}}<td>{{ALL_PHOTOS}}</td></tr></table>{{/ANY_PHOTOS}}
<h3>Why photos were stopped or held</h3>
{{#NO_REASONS}}<p>No photo was stopped or held.</p>{{/NO_REASONS}}
{{#ANY_REASONS}}<table class="list" id="report-reasons"><tr><th scope="col">Reason</th><th scope="col">Photos</th></tr>
{{#REASON}}<tr data-code="{{CODE}}"><th scope="row">{{LABEL}}</th><td>{{COUNT}}</td></tr>
{{/REASON}}</table>{{/ANY_REASONS}}
<h3>Photos a senior leader allowed</h3>
{{#NO_OVERRIDE}}<p>None in this period.</p>{{/NO_OVERRIDE}}
{{#ANY_OVERRIDE}}<table class="list" id="report-overrides"><tr><th scope="col">When</th><th scope="col">Photo</th><th scope="col">Channel</th><th scope="col">Who</th><th scope="col">Decision</th><th scope="col">Why</th><th scope="col">What the checks said</th></tr>
{{#OVERRIDE}}<tr><td>{{WHEN}}</td><td>{{PHOTO}}</td><td>{{CHANNEL}}</td><td>{{BY}}</td><td>{{DECISION}}</td><td>{{WHY}}</td><td>{{CHECKS}}</td></tr>
{{/OVERRIDE}}</table>{{/ANY_OVERRIDE}}
<h3>Photos a senior leader refused</h3>
{{#NO_SLT_REJECTION}}<p>None in this period.</p>{{/NO_SLT_REJECTION}}
{{#ANY_SLT_REJECTION}}<table class="list" id="report-refusals"><tr><th scope="col">When</th><th scope="col">Photo</th><th scope="col">Channel</th><th scope="col">Who</th><th scope="col">Why</th><th scope="col">What the checks said</th></tr>
{{#SLT_REJECTION}}<tr><td>{{WHEN}}</td><td>{{PHOTO}}</td><td>{{CHANNEL}}</td><td>{{BY}}</td><td>{{WHY}}</td><td>{{CHECKS}}</td></tr>
{{/SLT_REJECTION}}</table>{{/ANY_SLT_REJECTION}}
<h3>Incidents</h3>
<p>An incident is an attempt to publish a photo of a pupil on the no-photo list, or of a pupil without parental consent for that channel. Each one was stopped. A face that was only possibly the pupil counts once the DSL has confirmed it on the <a href="/incidents">Incidents</a> page.</p>
{{#NO_INCIDENTS}}<p>No incidents in this period.</p>{{/NO_INCIDENTS}}
{{#ANY_INCIDENTS}}<table class="list" id="report-incidents"><tr><th scope="col">When</th><th scope="col">Pupil</th><th scope="col">Channel</th><th scope="col">What happened</th><th scope="col">How they were found</th><th scope="col">Photo</th></tr>
{{#INCIDENT}}<tr><td>{{WHEN}}</td><td>{{PUPIL}}</td><td>{{CHANNEL}}</td><td>{{WHAT}}</td><td>{{HOW}}</td><td>{{PHOTO}}</td></tr>
{{/INCIDENT}}</table>{{/ANY_INCIDENTS}}
{{#PHOTOGRAPH_AGAIN}}<h3>Pupils to photograph again</h3>
<p>As it stands today. Their reference photos are too old, or were made by an earlier face engine, so their photos go to a senior leader until a new photo is added on their page.</p>
{{#NOBODY}}<p>Nobody.</p>{{/NOBODY}}
<ul id="report-photograph-again">{{#PERSON}}<li><a href="/register/{{ID}}">{{NAME}}</a>: {{WHY}} (newest reference photo taken {{NEWEST}}).</li>{{/PERSON}}</ul>{{/PHOTOGRAPH_AGAIN}}
{{/REPORT}}
