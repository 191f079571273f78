{{%AUTOESCAPE context="HTML"}}
<p><a href="/register">Back to the register</a></p>
<p id="re-enrolled">Made {{MADE}} face template(s) again for {{PEOPLE}} person(s) from their kept reference photos, with the face engine {{PIPELINE}}.</p>
{{#ANY_REFUSED}}<p>These photos could not be used by this face engine. Enrol new photos of these people:</p>
<ul id="refused">{{#REFUSED}}<li>{{TEXT}}</li>{{/REFUSED}}</ul>{{/ANY_REFUSED}}
