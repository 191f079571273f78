{{%AUTOESCAPE context="HTML"}}
{{#DONE}}<p class="notice">Takedown {{ID}} is marked done: {{FILE}} has been removed from the {{CHANNEL}} channel.</p>{{/DONE}}
<p>These photos were published, and someone in them may no longer appear on that channel: their
consent was withdrawn or has expired, or they are now on the no-photo list. Remove each one from
where it was published, then mark it done here.{{#OVERDUE_NOTE}} Takedowns not done after
{{DAYS}} days are marked overdue and shown to the designated safeguarding lead.{{/OVERDUE_NOTE}}</p>
{{#NONE}}<p>Nothing needs taking down.</p>{{/NONE}}
{{#ANY}}<table id="takedowns"><tr><th>Photo</th><th>Where</th><th>Why</th><th>Since</th><th></th></tr>
{{#TAKEDOWN}}<tr class="takedown{{#LATE}} overdue{{/LATE}}" data-id="{{ID}}" data-photo="{{PHOTO}}">
<td>{{FILE}}<br><small>reference {{PHOTO}}</small></td>
<td>the {{CHANNEL}} channel</td>
<td>{{WHY}}</td>
<td>{{SINCE}}{{#LATE}} <strong class="overdue">overdue</strong>{{/LATE}}</td>
<td><form class="takedown-done" method="post" action="/takedowns/{{ID}}/done">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">Done: it has been removed</button></form></td>
</tr>{{/TAKEDOWN}}
</table>{{/ANY}}
