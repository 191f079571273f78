{{%AUTOESCAPE context="HTML"}}
{{#RECEIVED}}<div class="notice" role="status" id="received"><p>{{TEXT}}</p><ul>{{#FILE}}<li data-id="{{ID}}">{{NAME}}: <span class="{{STATUS_CLASS}}">{{STATUS}}</span></li>{{/FILE}}</ul>{{#NOT_MINE}}<p>{{TEXT}}</p>{{/NOT_MINE}}</div>{{/RECEIVED}}
{{#PROBLEM}}<p class="error" role="alert" id="problem">{{TEXT}}</p>{{/PROBLEM}}
<form id="upload" method="post" action="/photos" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="form-row"><label for="photo">Photos or videos</label><span class="hint" id="photo-hint">You can choose up to {{MAX_FILES}} at once; each is checked on its own. Photos up to {{PHOTO_MB}} MB, videos up to {{VIDEO_MB}} MB, and {{TOTAL_MB}} MB in all.</span>{{#FILE_ERROR}}<span class="field-error" id="photo-error">{{TEXT}}</span>{{/FILE_ERROR}}<input type="file" id="photo" name="photo" multiple required aria-describedby="photo-hint{{#FILE_ERROR}} photo-error{{/FILE_ERROR}}" accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif,.heic,.heif,.avif,video/mp4,video/quicktime,.mp4,.mov,.m4v"></div>
<div class="form-row"><label for="channel">Where it will be published</label>{{#CHANNEL_ERROR}}<span class="field-error" id="channel-error">{{TEXT}}</span>{{/CHANNEL_ERROR}}<select id="channel" name="channel"{{#CHANNEL_ERROR}} aria-describedby="channel-error"{{/CHANNEL_ERROR}}>{{#CHANNEL}}<option value="{{NAME}}">{{WORDS}}</option>{{/CHANNEL}}</select></div>
<div class="form-row"><label for="caption">Caption (optional)</label><span class="hint" id="caption-hint">Used for every file you send now. Never write a pupil's full name.</span><input type="text" id="caption" name="caption" size="60" aria-describedby="caption-hint"></div>
<p><button type="submit">Submit for checking</button></p></form>
<h2 id="yours">Photos you submitted</h2>
{{#PENDING}}<p class="hint" id="refreshing">Some are still being checked: this page updates itself every {{SECONDS}} seconds until they are done. <a href="/photos">Check again now</a></p>{{/PENDING}}
{{#NONE}}<p>None yet.</p>{{/NONE}}
{{#ANY}}<div class="table-scroll"><table class="list" aria-labelledby="yours"><thead><tr><th scope="col">Photo</th><th scope="col">Sent</th><th scope="col">What happened</th><th scope="col">Why, and what to do next</th></tr></thead><tbody>
{{#JOB}}<tr id="photo-{{ID}}" data-id="{{ID}}"><td>{{#THUMB}}<img class="thumb" src="/photos/{{ID}}/thumb.jpg" alt="">{{/THUMB}}<span class="file">{{FILE}}</span></td>
<td>{{CHANNEL}}<br>{{SUBMITTED}}<br><span class="hint">Reference {{ID}}</span></td>
<td class="status {{STATUS_CLASS}}">{{STATUS}}</td>
<td>{{#REASONS}}<ul class="reasons">{{#REASON}}<li>{{TEXT}}</li>{{/REASON}}</ul>{{/REASONS}}<p class="next">{{NEXT}}</p>{{#DOWNLOAD}}<p><a class="download" href="/photos/{{ID}}/cleaned" aria-label="Download the cleaned copy of {{FILE}}">Download the cleaned copy</a></p>{{/DOWNLOAD}}</td></tr>
{{/JOB}}</tbody></table></div>{{/ANY}}
