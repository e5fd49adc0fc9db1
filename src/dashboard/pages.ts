// The two HTML documents the dashboard serves. Neither holds an inline script (the CSP forbids
// them) nor anything from events: the shell loads the client, which fetches the data.

const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>frictionlog dashboard</title>
<link rel="stylesheet" href="/assets/app.css">`

/** The single page of the dashboard: the client renders every view into `#app`. */
export const shellPage = (): string => `${HEAD}
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
</body>
</html>
`

/** The login form of a token-protected dashboard; it posts the token once and gets a cookie. */
export const loginPage = (isWrong: boolean): string => `${HEAD}
</head>
<body class="login">
<form method="post" action="/login" class="login-form">
<h1>frictionlog</h1>
<p>This dashboard is protected: enter the token given to <code>frictionlog collect --dashboard-token</code>.</p>
${isWrong ? '<p class="error" role="alert">Wrong token.</p>' : ''}
<label>Token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
<button type="submit">Open the dashboard</button>
</form>
</body>
</html>
`
