{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}
<ul class="figures" id="counts"><li><span class="figure" id="held-count">{{HELD_COUNT}}</span> for a decision</li><li><span class="figure" id="blocked-count">{{BLOCKED_COUNT}}</span> a covered copy could save</li></ul>
{{#NOTHING_WAITING}}<p>Nothing is waiting for you. Photos held by the rules appear here.</p>{{/NOTHING_WAITING}}
<h2>Held for a decision</h2>
{{#NONE_HELD}}<p>No photos are waiting for a decision.</p>{{/NONE_HELD}}
{{#ANY_HELD}}<p>Nothing in this list is published until you decide. Open a photo to see its faces and decide.</p>
<div class="table-scroll"><table class="list" id="held"><caption>Held photos, oldest first</caption><tr><th scope="col">Photo</th><th scope="col">File</th><th scope="col">Channel</th><th scope="col">Submitted</th><th scope="col">What holds it</th></tr>
{{#HELD}}<tr><td>{{#THUMB}}<img class="thumb" src="/review/{{ID}}/thumb.jpg" alt="">{{/THUMB}}</td><td><a class="held-photo" href="/review/{{ID}}">{{FILE}}</a></td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td><ul>{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul></td></tr>
{{/HELD}}</table></div>{{/ANY_HELD}}
{{#ANY_COVERABLE}}<h2>Blocked photos a covered copy could save</h2>
<p class="warning">These are blocked and are not published. {{SENTENCE}} If no copy is wanted, open the photo and take it off this list.</p>
<div class="table-scroll"><table class="list" id="coverable"><caption>Blocked photos, oldest first</caption><tr><th scope="col">Photo</th><th scope="col">File</th><th scope="col">Channel</th><th scope="col">Submitted</th><th scope="col">What blocks it</th></tr>
{{#BLOCKED}}<tr><td>{{#THUMB}}<img class="thumb" src="/review/{{ID}}/thumb.jpg" alt="">{{/THUMB}}</td><td><a class="blocked-photo" href="/review/{{ID}}">{{FILE}}</a></td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td><ul>{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul></td></tr>
{{/BLOCKED}}</table></div>{{/ANY_COVERABLE}}
