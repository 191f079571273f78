{{%AUTOESCAPE context="HTML"}}
<p><a href="/register">Back to the register</a></p>
{{#PROBLEMS}}<p id="import-refused"><strong>{{FILE}} cannot be imported. Nothing was changed.</strong></p>
<ul id="bad-lines">{{#LINE}}<li>{{TEXT}}</li>{{/LINE}}</ul>
<p>Correct these lines in the MIS (or a spreadsheet) and choose the file again.</p>{{/PROBLEMS}}
{{#FORM}}<p>Export the register from the school's MIS as CSV (the columns are in the README) and choose the file. You will see what it changes before anything is changed.</p>
<form id="import" method="post" action="/import" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label>Register file (CSV) <input type="file" name="csv" accept=".csv,text/csv"></label>
<button type="submit">Preview</button></form>{{/FORM}}

{{#PREVIEW}}<p id="preview-summary">{{FILE}}: {{ADDED}} to add, {{UPDATED}} to change, {{UNCHANGED}} already up to date, {{WITHDRAWN}} consent(s) withdrawn. <strong>Nothing has changed yet.</strong></p>
{{#ANY_WITHDRAWN}}<h2>Withdrawn at once</h2>
<table id="withdrawn"><tr><th>Person</th><th>What is withdrawn</th></tr>{{#WITHDRAWN_ROW}}<tr><td>{{NAME}} ({{ID}})</td><td>{{TEXT}}</td></tr>{{/WITHDRAWN_ROW}}</table>{{/ANY_WITHDRAWN}}
{{#ANY_ADDED}}<h2>To add</h2>
<table id="added"><tr><th>Person</th><th>Recorded</th></tr>{{#ADDED_ROW}}<tr><td>{{NAME}} ({{ID}})</td><td>{{TEXT}}</td></tr>{{/ADDED_ROW}}</table>{{/ANY_ADDED}}
{{#ANY_CHANGED}}<h2>To change</h2>
<table id="changed"><tr><th>Person</th><th>What changes</th></tr>{{#CHANGED_ROW}}<tr><td>{{NAME}} ({{ID}})</td><td>{{TEXT}}</td></tr>{{/CHANGED_ROW}}</table>{{/ANY_CHANGED}}
{{#ANY_IGNORED}}<p>These columns are not kept by Consent Guard and will be ignored: {{IGNORED}}.</p>{{/ANY_IGNORED}}
<form id="confirm" method="post" action="/import/{{TOKEN}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" name="do" value="confirm">Import this file</button> <button type="submit" name="do" value="cancel">Cancel</button></form>{{/PREVIEW}}
{{#DONE}}<p id="imported">Imported {{FILE}}: {{ADDED}} added, {{UPDATED}} updated, {{UNCHANGED}} already up to date, {{WITHDRAWN}} consent(s) withdrawn, {{TEMPLATES}} face template(s) deleted. {{REOPENED}} held photo(s) are being checked again; any published photo that must come down is on the <a href="/takedowns">Takedowns</a> page.</p>{{/DONE}}
