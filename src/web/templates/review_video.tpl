{{%AUTOESCAPE context="HTML"}}
<p>{{FILE}} for the {{CHANNEL}} channel, submitted {{SUBMITTED}}: a video of {{SECONDS}} seconds, of which {{FRAMES}} frames were checked.</p>
{{#NOT_WAITING}}<p class="notice">This video is not waiting for a decision{{#DECIDED}}: it was {{DECISION}} by {{BY}}{{/DECIDED}}.</p>{{/NOT_WAITING}}
<h2>{{#HELD}}Why it is held{{/HELD}}{{#NOT_HELD}}What the checks found{{/NOT_HELD}}</h2>
<ul class="reasons">{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul>
<video id="video" controls preload="metadata" src="/review/{{ID}}/video" style="max-width:100%;max-height:480px"></video>
<h2>Who is in it</h2>
{{#NOBODY}}<p id="nobody">Nobody was seen in the frames checked. Watch it before deciding: a face seen only from the side or far away may not be found.</p>{{/NOBODY}}
{{#ANY_PEOPLE}}<table id="people"><tr><th>Person</th><th>Who</th><th>Seen at</th></tr>
{{#PERSON}}<tr class="person" data-status="{{STATUS}}" data-person="{{PERSON_ID}}"><td>{{NUMBER}}</td><td>{{LABEL}}</td><td>{{SEEN}}</td></tr>
{{/PERSON}}</table>{{/ANY_PEOPLE}}
<h2>The frames checked</h2>
<p>Each face is boxed and numbered as in the list above: red must not appear, green may, amber was not recognised.</p>
<img id="contact-sheet" src="/review/{{ID}}/sheet" alt="Every frame checked, with the faces boxed and numbered" style="max-width:100%">
{{#ACTIONS}}<div class="actions"><h2>Decide</h2>
{{#APPROVE}}<form id="approve" method="post" action="/review/{{ID}}/confirm"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="decision" value="approve">
<p>Watch the whole video first: a pupil on the no-photo list who has no biometric consent is never recognised.</p><button type="submit">Approve and publish</button></form>{{/APPROVE}}
{{#NO_OVERRIDE}}<p class="no-override">The school's policy does not let this video be approved as it is.</p>{{/NO_OVERRIDE}}
{{#DEVICE}}<form id="device" method="post" action="/review/{{ID}}/device"><input type="hidden" name="csrf" value="{{CSRF}}">
<p>Taken on {{MAKE_MODEL}}. If it is the school's, register it: this video and others held for it are checked again.</p><button type="submit">This device is the school's</button></form>{{/DEVICE}}
{{#REJECT}}<form id="reject" method="post" action="/review/{{ID}}/confirm"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="decision" value="reject">
<div class="form-row"><label for="reason">Why it must not be published</label><span class="hint" id="reason-hint">The person who sent it will see this. You are asked to confirm before it is rejected.</span>
<textarea id="reason" name="reason" required maxlength="1000" aria-describedby="reason-hint"></textarea></div><button type="submit" class="danger">Reject</button></form>{{/REJECT}}
</div>{{/ACTIONS}}
<p class="no-cover" id="no-cover">Consent Guard does not make a copy of a video with faces covered. To publish it without someone, cut the seconds they are seen with a video editor, then submit the shorter video again.</p>
