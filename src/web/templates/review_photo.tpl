{{%AUTOESCAPE context="HTML"}}
<p><a href="/review">Back to the held photos</a></p>
<p>{{FILE}} for the {{CHANNEL}} channel, submitted {{SUBMITTED}}.</p>
{{#COVERABLE}}<p class="error" id="blocked">This photo is blocked: it will not be published as it is. {{SENTENCE}}</p>{{/COVERABLE}}
{{#HELD_NOTE}}<p class="warning" id="held">This photo is held: nothing is published until you decide.</p>{{/HELD_NOTE}}
{{#NOT_WAITING}}<p class="warning">This photo is not waiting for a decision{{#DECIDED}}: it was {{DECISION}} by {{BY}}{{/DECIDED}}.</p>{{/NOT_WAITING}}
<h2>{{#HELD}}Why it is held{{/HELD}}{{#NOT_HELD}}What the checks found{{/NOT_HELD}}</h2>
<ul class="reasons">{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul>
{{#ANY_METADATA_NAMES}}<h2>Names in the photo's own details</h2><p>These are removed before anything is published; they may say who is in the photo.</p>
<ul id="metadata-names">{{#METADATA_NAME}}<li>{{TEXT}}</li>{{/METADATA_NAME}}</ul>{{/ANY_METADATA_NAMES}}
<div class="review-layout">
<div class="photo"><img id="photo" src="/review/{{ID}}/image" alt="The photo; its faces are numbered and listed beside it" data-width="{{WIDTH}}" data-height="{{HEIGHT}}">
{{#FACE}}<div class="face" data-number="{{NUMBER}}" data-status="{{STATUS}}" data-person="{{PERSON}}" style="left:{{LEFT}}%;top:{{TOP}}%;width:{{W}}%;height:{{H}}%"><span class="face-label" aria-hidden="true">{{NUMBER}}</span></div>
{{/FACE}}</div>
<div><h2>Faces found</h2>
{{#NO_FACES}}<p>No face was found. Look at the photo yourself before deciding: a turned or hidden face may be missed.</p>{{/NO_FACES}}
<ol class="faces" id="faces">{{#FACE_ITEM}}<li id="face-{{NUMBER}}" data-status="{{STATUS}}" data-person="{{PERSON}}"><strong>Face {{NUMBER}}:</strong> <span class="face-text">{{LABEL}}</span></li>
{{/FACE_ITEM}}</ol></div>
</div>
{{#ACTIONS}}<div class="actions"><h2>Decide</h2>
{{#NO_APPROVE_COVERABLE}}<p class="no-override">Nobody can approve this photo as it is.</p>{{/NO_APPROVE_COVERABLE}}
{{#APPROVE}}<form id="approve" method="post" action="/review/{{ID}}/confirm"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="decision" value="approve">
<p>Check every unknown face by eye: a pupil on the no-photo list who has no biometric consent is never recognised. You are asked to confirm before it is published.</p><button type="submit">Approve and publish</button></form>{{/APPROVE}}
{{#NO_OVERRIDE}}<p class="no-override">The school's policy does not let this photo be approved as it is.</p>{{/NO_OVERRIDE}}
{{#DEVICE}}<form id="device" method="post" action="/review/{{ID}}/device"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Taken on {{MAKE_MODEL}}{{#SERIAL}}, serial {{TEXT}}{{/SERIAL}}. If it is the school's, register it: this photo and others held for it are checked again.</p><button type="submit">This device is the school's</button></form>{{/DEVICE}}
{{#REDACT}}<form id="redact" method="post" action="/review/{{ID}}/preview"><input type="hidden" name="csrf" value="{{CSRF}}">
<fieldset><legend>Publish a copy with faces covered</legend>
<p class="hint" id="cover-hint">{{LIMIT}} Faces that may not be published are always covered with solid black; tick any other face to cover it too.</p>
{{#COVER}}<div><input type="checkbox" id="cover-{{NUMBER}}" name="cover" value="{{BOX}}" aria-describedby="cover-hint"{{#MUST}} checked disabled{{/MUST}}{{#TICKED}} checked{{/TICKED}}> <label for="cover-{{NUMBER}}">Face {{NUMBER}}: {{LABEL}}{{#MUST}} (always covered){{/MUST}}</label></div>
{{/COVER}}</fieldset>
<p class="hint">Consent Guard makes the copy and checks it with every rule, which takes about ten seconds. You see the copy and what the check says before anything is published.</p>
<button type="submit">Preview the covered copy</button></form>{{/REDACT}}
{{#NOT_WORTHWHILE}}<p id="no-covered-copy">A covered copy is not offered: every face in this photo would have to be covered.</p>{{/NOT_WORTHWHILE}}
{{#IDENTIFY}}<form class="identify" id="identify-{{NUMBER}}" method="post" action="/review/{{ID}}/identify"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="face" value="{{BOX}}">
<div class="form-row"><label for="person-{{NUMBER}}">Who is face {{NUMBER}} ({{LABEL}})?</label>
<span class="hint" id="person-{{NUMBER}}-hint">Type their name and choose it from the list. The photo is then checked again with that face known.</span>
{{#ERROR}}<span class="field-error" id="person-{{NUMBER}}-error">{{TEXT}}</span>{{/ERROR}}
<input type="text" id="person-{{NUMBER}}" name="person" list="register-names" autocomplete="off" required value="{{TYPED}}" aria-describedby="person-{{NUMBER}}-hint{{#ERROR}} person-{{NUMBER}}-error{{/ERROR}}"{{#ERROR}} aria-invalid="true" autofocus{{/ERROR}}></div>
<button type="submit">Identify and check again</button></form>
{{/IDENTIFY}}{{#ANY_IDENTIFY}}<datalist id="register-names">{{#PERSON}}<option value="{{NAME}} ({{PERSON_ID}})"></option>{{/PERSON}}</datalist>{{/ANY_IDENTIFY}}
{{#REJECT}}<form id="reject" method="post" action="/review/{{ID}}/confirm"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="decision" value="reject">
<div class="form-row"><label for="reason">Why it must not be published</label><span class="hint" id="reason-hint">The person who sent it will see this. You are asked to confirm before it is rejected.</span>
<textarea id="reason" name="reason" required maxlength="1000" aria-describedby="reason-hint"></textarea></div><button type="submit" class="danger">Reject</button></form>{{/REJECT}}
{{#DISMISS}}<form id="dismiss" method="post" action="/review/{{ID}}/dismiss"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Not worth a covered copy? Take it off the list: it stays blocked and nothing is published.</p><button type="submit" class="secondary">Leave it blocked and take it off the list</button></form>{{/DISMISS}}
</div>{{/ACTIONS}}
