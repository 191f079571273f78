{{%AUTOESCAPE context="HTML"}}
{{#DONE}}<p class="notice" id="done-notice">Takedown {{ID}} is marked done: {{FILE}} has been removed from the {{CHANNEL}} channel.{{#DELETED}} Consent Guard has deleted its copy from the server.{{/DELETED}}{{#NO_COPY}} Consent Guard held no copy of it any more.{{/NO_COPY}}{{#NOT_YET_DELETED}} Its copy on the server could not be deleted yet; Consent Guard tries again within a minute.{{/NOT_YET_DELETED}}</p>{{/DONE}}
<p>These photos were published, and someone in them may no longer appear on that channel: their
consent was withdrawn or has expired, or they are now on the no-photo list. Consent Guard has
taken its own copy of each out of the outbox, so it cannot be published from there again. Remove
each one from where it was published, then mark it done here: Consent Guard then deletes its copy
from the server.{{#OVERDUE_NOTE}} Takedowns not done after {{DAYS}} days are marked overdue and
shown to the designated safeguarding lead.{{/OVERDUE_NOTE}}</p>
{{#NONE}}<p>Nothing needs taking down.</p>{{/NONE}}
{{#ANY}}<div class="table-scroll"><table class="list" id="takedowns"><caption>Photos to take down, oldest first</caption>
<thead><tr><th scope="col">Photo</th><th scope="col">Caption and file</th><th scope="col">Where</th><th scope="col">Published</th><th scope="col">Why</th><th scope="col">Since</th><th scope="col">Done?</th></tr></thead><tbody>
{{#TAKEDOWN}}<tr class="takedown{{#LATE}} overdue{{/LATE}}" id="takedown-{{ID}}" data-id="{{ID}}" data-photo="{{PHOTO}}">
<td>{{#THUMB}}<img class="thumb" src="/takedowns/{{ID}}/picture" alt="The photo {{FILE}}">{{/THUMB}}{{#NO_THUMB}}<span class="hint">No picture of it is kept any more.</span>{{/NO_THUMB}}</td>
<td>{{#CAPTION}}<q class="caption">{{TEXT}}</q><br>{{/CAPTION}}<span class="file">{{FILE}}</span><span class="hint">Reference {{PHOTO}}</span>{{#WITHDRAWN}}<span class="hint">Taken out of the outbox by Consent Guard.</span>{{/WITHDRAWN}}</td>
<td>{{CHANNEL}}</td>
<td>{{PUBLISHED}}<br>sent by <span class="submitter">{{SUBMITTER}}</span>{{#APPROVED}}<br>approved by <span class="approver">{{BY}}</span>{{/APPROVED}}</td>
<td>{{WHY}}</td>
<td>{{SINCE}}{{#LATE}} <strong class="overdue">overdue</strong>{{/LATE}}</td>
<td><details class="takedown-confirm"><summary>Done: it has been removed</summary>
<form class="takedown-done" method="post" action="/takedowns/{{ID}}/done">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p>Only when {{FILE}} is no longer on the {{CHANNEL}} channel. Consent Guard then deletes its copy from the server; this cannot be undone.</p>
<button type="submit" class="danger" aria-label="Yes, it has been removed: delete the copy of {{FILE}}">Yes, it has been removed</button></form></details></td>
</tr>{{/TAKEDOWN}}
</tbody></table></div>{{/ANY}}
