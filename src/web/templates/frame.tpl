{{%AUTOESCAPE context="HTML"}}
<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{TITLE}} - Consent Guard</title><style>
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer;text-decoration:underline}
header .who{margin-left:auto}
main{padding:1rem 1.5rem;max-width:1200px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.notice{background:#e3f4e1;border:1px solid #2e7d32;padding:.6rem;margin:.5rem 0}
.error{background:#fdecea;border:1px solid #b71c1c;padding:.6rem;margin:.5rem 0}
.photo{position:relative;display:inline-block;max-width:100%}
.photo img{display:block;max-width:100%;height:auto}
.face{position:absolute;border:3px solid #2e7d32;box-sizing:border-box}
.face-label{position:absolute;left:-3px;top:100%;background:#2e7d32;color:#fff;font-size:.8rem;padding:1px 4px;white-space:nowrap}
.face[data-status=no_photo],.face[data-status=no_consent]{border-color:#b71c1c}
.face[data-status=no_photo] .face-label,.face[data-status=no_consent] .face-label{background:#b71c1c}
.face[data-status=unknown],.face[data-status=ambiguous],.face[data-status=too_small]{border-color:#e65100}
.face[data-status=unknown] .face-label,.face[data-status=ambiguous] .face-label,.face[data-status=too_small] .face-label{background:#e65100}
.actions form{background:#fff;border:1px solid #ccc;padding:.6rem;margin:.5rem 0}
button{padding:.3rem .8rem}textarea{width:100%;min-height:3rem}
</style></head><body><header><strong>Consent Guard</strong>{{#SIGNED_IN}}<a href="/photos">My photos</a><a href="/takedowns">Takedowns</a>{{#REVIEW}}<a href="/review">Held photos</a>{{/REVIEW}}{{#DSL}}<a href="/incidents">Incidents</a><a href="/report">Termly report</a>{{/DSL}}{{#REGISTER}}<a href="/register">Register</a>{{/REGISTER}}{{#ADMIN}}<a href="/devices">Devices and keys</a><a href="/admin">Administration</a>{{/ADMIN}}<span class="who">{{NAME}} ({{ROLE}})</span><form method="post" action="/logout"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit">Sign out</button></form>{{/SIGNED_IN}}</header><main><h1>{{TITLE}}</h1>
{{BODY:none}}
</main></body></html>
