{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}
<form id="upload" method="post" action="/photos" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{CSRF}}">
<p><label>Photo or video <input type="file" name="photo" accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif,.heic,.heif,.avif,video/mp4,video/quicktime,.mp4,.mov,.m4v" required></label></p>
<p><label>Channel <select name="channel">{{#CHANNEL}}<option>{{NAME}}</option>{{/CHANNEL}}</select></label></p>
<p><label>Caption <input name="caption" size="60"></label></p>
<p><button type="submit">Submit for checking</button></p></form>
<h2>Photos you submitted</h2>
{{#NONE}}<p>None yet.</p>{{/NONE}}
{{#ANY}}<table><tr><th>Photo</th><th>Channel</th><th>Submitted</th><th>What happened</th><th>Reference</th></tr>
{{#JOB}}<tr><td>{{FILE}}</td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td class="status">{{STATUS}}</td><td>{{ID}}</td></tr>
{{/JOB}}</table>{{/ANY}}
