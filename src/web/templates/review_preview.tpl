{{%AUTOESCAPE context="HTML"}}
<p><a href="/review/{{ID}}">Back to the photo</a></p>
<p>{{FILE}} for the {{CHANNEL}} channel.</p>
{{#CLEAR}}<p class="notice" id="preview-clear">This covered copy passes every rule for the {{CHANNEL}} channel. Nothing is published until you confirm below.</p>{{/CLEAR}}
{{#FAILED}}<div class="error" id="preview-failed"><p>This covered copy cannot be published, so nothing was published:</p>
<ul>{{#WHY}}<li>{{TEXT}}</li>{{/WHY}}</ul><p>{{NEXT}}</p></div>{{/FAILED}}
{{#PICTURE}}<div class="photo"><img id="preview" src="/review/{{ID}}/preview.jpg" alt="The copy with faces covered"></div>{{/PICTURE}}
{{#CLEAR}}<form id="publish-covered" method="post" action="/review/{{ID}}/redact"><input type="hidden" name="csrf" value="{{CSRF}}">{{#KEEP}}<input type="hidden" name="cover" value="{{BOX}}">{{/KEEP}}
<p>It is checked once more as it is published.</p>
<div class="actions"><button type="submit">Yes, publish this covered copy</button> <a href="/review/{{ID}}">No, go back to the photo</a></div></form>{{/CLEAR}}
{{#FAILED}}<form id="redact" method="post" action="/review/{{ID}}/preview"><input type="hidden" name="csrf" value="{{CSRF}}">
<fieldset><legend>Choose the faces to cover and try again</legend>
<p class="hint" id="cover-hint">{{LIMIT}} Faces that may not be published are always covered with solid black.</p>
{{#COVER}}<div><input type="checkbox" id="cover-{{NUMBER}}" name="cover" value="{{BOX}}" aria-describedby="cover-hint"{{#MUST}} checked disabled{{/MUST}}{{#TICKED}} checked{{/TICKED}}> <label for="cover-{{NUMBER}}">Face {{NUMBER}}: {{LABEL}}{{#MUST}} (always covered){{/MUST}}</label></div>
{{/COVER}}</fieldset>
<p class="hint">Making and checking the copy takes about ten seconds.</p>
<button type="submit">Preview the covered copy</button></form>{{/FAILED}}
