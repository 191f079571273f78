{{%AUTOESCAPE context="HTML"}}
<p>{{FILE}} for the {{CHANNEL}} channel, submitted {{SUBMITTED}}.</p>
{{#COVERABLE}}<p class="notice" id="blocked">This photo is blocked. {{SENTENCE}}</p>{{/COVERABLE}}
{{#NOT_WAITING}}<p class="notice">This photo is not waiting for a decision{{#DECIDED}}: it was {{DECISION}} by {{BY}}{{/DECIDED}}.</p>{{/NOT_WAITING}}
<h2>{{#HELD}}Why it is held{{/HELD}}{{#NOT_HELD}}What the checks found{{/NOT_HELD}}</h2>
<ul class="reasons">{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul>
{{#ANY_METADATA_NAMES}}<h2>Names in the photo's own details</h2><p>These are removed before anything is published; they may say who is in the photo.</p>
<ul id="metadata-names">{{#METADATA_NAME}}<li>{{TEXT}}</li>{{/METADATA_NAME}}</ul>{{/ANY_METADATA_NAMES}}
<div class="photo"><img id="photo" src="/review/{{ID}}/image" alt="The photo" data-width="{{WIDTH}}" data-height="{{HEIGHT}}">
{{#FACE}}<div class="face" data-status="{{STATUS}}" data-person="{{PERSON}}" style="left:{{LEFT}}%;top:{{TOP}}%;width:{{W}}%;height:{{H}}%"><span class="face-label">{{LABEL}}</span></div>
{{/FACE}}</div>
{{#ACTIONS}}<div class="actions"><h2>Decide</h2>
{{#NO_APPROVE_COVERABLE}}<p class="no-override">Nobody can approve this photo as it is.</p>{{/NO_APPROVE_COVERABLE}}
{{#APPROVE}}<form id="approve" method="post" action="/review/{{ID}}/approve"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Check every unknown face by eye: a pupil on the no-photo list who has no biometric consent is never recognised.</p><button type="submit">Approve and publish</button></form>{{/APPROVE}}
{{#NO_OVERRIDE}}<p class="no-override">The school's policy does not let this photo be approved as it is.</p>{{/NO_OVERRIDE}}
{{#DEVICE}}<form id="device" method="post" action="/review/{{ID}}/device"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Taken on {{MAKE_MODEL}}{{#SERIAL}}, serial {{TEXT}}{{/SERIAL}}. If it is the school's, register it: this photo and others held for it are checked again.</p><button type="submit">This device is the school's</button></form>{{/DEVICE}}
{{#REJECT}}<form id="reject" method="post" action="/review/{{ID}}/reject"><input type="hidden" name="csrf" value="{{CSRF}}">
<label>Why it must not be published (the person who sent it will see this)<br><textarea name="reason" required maxlength="1000"></textarea></label><button type="submit">Reject</button></form>{{/REJECT}}
<form id="redact" method="post" action="/review/{{ID}}/redact"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Faces that may not be published are covered with solid black; tick any other face to cover it too. The covered copy is checked again before it is published.</p>
{{#COVER}}<label><input type="checkbox" name="cover" value="{{BOX}}"{{#MUST}} checked disabled{{/MUST}}> {{LABEL}}</label><br>
{{/COVER}}<button type="submit">Publish a redacted copy</button></form>
{{#IDENTIFY}}<form class="identify" method="post" action="/review/{{ID}}/identify"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="face" value="{{BOX}}">
<label>This face ({{LABEL}}) is <select name="person">{{#PERSON}}<option value="{{PERSON_ID}}">{{NAME}} ({{PERSON_ID}})</option>{{/PERSON}}</select></label> <button type="submit">Identify and check again</button></form>
{{/IDENTIFY}}</div>{{/ACTIONS}}
