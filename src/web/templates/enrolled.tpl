{{%AUTOESCAPE context="HTML"}}
<p><a href="/register/{{ID}}">Back to {{NAME}}</a></p>
<p>{{ENROLLED}} of {{SENT}} photo(s) enrolled for {{NAME}}.</p>
<table id="enrolled"><tr><th>Photo</th><th>What happened</th></tr>
{{#FILE}}<tr class="{{#OK}}enrolled{{/OK}}{{#REFUSED}}refused{{/REFUSED}}"><td>{{NAME}}</td><td>{{TEXT}}</td></tr>
{{/FILE}}</table>
