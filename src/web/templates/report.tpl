{{%AUTOESCAPE context="HTML"}}
<form method="get" action="/report"><label>From <input type="date" name="from" value="{{FROM}}"></label>
<label>to <input type="date" name="to" value="{{TO}}"></label> <button type="submit">Show</button>
<a href="/report.csv?from={{FROM}}&amp;to={{TO}}">Download as CSV</a>
<a href="/report.html?from={{FROM}}&amp;to={{TO}}">Printable page</a></form>
