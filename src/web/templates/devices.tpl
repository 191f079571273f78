{{%AUTOESCAPE context="HTML"}}
{{#NOTICE}}<p class="notice">{{TEXT}}</p>{{/NOTICE}}{{#ERROR}}<p class="error">{{TEXT}}</p>{{/ERROR}}
{{#NEW_KEY}}<div class="notice" id="new-key"><p>The API key for {{NAME}}. Copy it now into the
website's settings: it is not shown again, and only a hash of it is kept.</p>
<p><code id="key">{{KEY}}</code></p></div>{{/NEW_KEY}}
<h2>School devices</h2>
<p>Photos must come from the school's own cameras and tablets. A photo from any other device is
held for a senior leader.</p>
<table id="devices"><tr><th>Make</th><th>Model</th><th>Serial</th><th>What it is</th><th></th></tr>
{{#DEVICE}}<tr class="device" data-id="{{ID}}"><td>{{MAKE}}</td><td>{{MODEL}}</td><td>{{SERIAL}}</td><td>{{DESCRIPTION}}</td>
<td><form method="post" action="/devices/remove"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="id" value="{{ID}}"><button type="submit">Remove</button></form></td></tr>
{{/DEVICE}}</table>
<form id="new-device" method="post" action="/devices/add"><input type="hidden" name="csrf" value="{{CSRF}}">
<label>Make <input name="make" required></label> <label>Model <input name="model" required></label>
<label>Serial (empty: any of this model) <input name="serial"></label>
<label>What it is <input name="description"></label> <button type="submit">Register the device</button></form>
<h2>Make an API key</h2>
<p>For the website CMS: it may submit photos for these channels, and read their outcome and
takedowns.</p>
<form id="new-key-form" method="post" action="/devices/key"><input type="hidden" name="csrf" value="{{CSRF}}">
<label>Name <input name="name" required maxlength="64"></label>
{{#CHANNEL}}<label><input type="checkbox" name="channel" value="{{NAME}}"> {{NAME}}</label> {{/CHANNEL}}
<label><input type="checkbox" name="register" value="1"> may change the register</label>
<button type="submit">Make the key</button></form>
