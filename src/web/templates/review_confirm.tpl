{{%AUTOESCAPE context="HTML"}}
<div class="confirm" id="confirm">
{{#THUMB}}<img class="thumb" src="/review/{{ID}}/thumb.jpg" alt="The photo {{FILE}}">{{/THUMB}}
<p>{{FILE}}, for the {{CHANNEL}} channel.</p>
<p{{#DANGER}} class="warning"{{/DANGER}}>{{WHAT}}</p>
{{#REASON}}<p>Your reason: <q id="confirm-reason">{{TEXT}}</q></p>{{/REASON}}
<form id="confirmed" method="post" action="/review/{{ID}}/{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">{{#REASON}}<input type="hidden" name="reason" value="{{TEXT}}">{{/REASON}}
<div class="actions"><button type="submit"{{#DANGER}} class="danger"{{/DANGER}}>{{BUTTON}}</button> <a href="/review/{{ID}}">No, go back to the photo</a></div></form>
</div>
