{{%AUTOESCAPE context="HTML"}}
<p class="message">{{MESSAGE}}</p>
