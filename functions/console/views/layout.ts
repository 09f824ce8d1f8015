import { SafeHtml, html } from '../../templates/html.js';

/**
 * The back office's pages, rendered on the server: one layout (header with who is signed in, search
 * and sign-out; the queues; the page), one stylesheet, no scripts. Every form posts with the
 * session's CSRF token; every field has a label; buttons say what they do.
 */

export interface Session {
  email: string;
  role: 'finance' | 'reviewer';
  csrf: string;
}

export interface Queue {
  id: string;
  label: string;
  count: number;
}

/** Where the console lives on this host (`/console`, or `/v1/console` behind an API Gateway stage). */
export interface Page {
  base: string;
  title: string;
  session: Session | null;
  queues?: Queue[];
  current?: string;
  search?: string;
}

export const statusName = (status: string) => status.replace(/_/g, ' ');

export function layout(page: Page, main: SafeHtml): string {
  const { base, session } = page;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${page.title} · Purchase orders</title><link rel="stylesheet" href="${base}/assets/console.css"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${base}">Purchase orders</a>
${
  session
    ? html`<form class="search" method="get" action="${base}/search" role="search"><label for="search">Search</label>
<input id="search" name="q" type="search" value="${page.search ?? ''}" placeholder="Reference, PO number, company, customer id or email" maxlength="200">
<button type="submit">Find</button></form>
<a class="enter-order" href="${base}/orders/new"${page.current === 'enter-order' ? html` aria-current="page"` : ''}>Enter an order</a>
<div class="who"><span>${session.email} <span class="role">${session.role}</span></span>
<form method="post" action="${base}/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit" class="link">Sign out</button></form></div>`
    : ''
}</header>
<div class="frame">${
    page.queues
      ? html`<nav aria-label="Work queues"><h2>Queues</h2><ul>${page.queues.map(
          (queue) =>
            html`<li><a href="${base}/queues/${queue.id}"${queue.id === page.current ? html` aria-current="page"` : ''}>${queue.label}<span class="count">${queue.count}</span></a></li>`,
        )}</ul>${
          session?.role === 'finance'
            ? html`<h2>Finance</h2><ul>${[
                ['receivables', 'Receivables'],
                ['policy', 'Policy'],
                ['staff', 'Staff'],
                ['webhooks', 'Webhooks'],
              ].map(([id, label]) => html`<li><a href="${base}/${id}"${id === page.current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>`
            : ''
        }<h2>Account</h2><ul><li><a href="${base}/security"${page.current === 'security' ? html` aria-current="page"` : ''}>Two-step sign-in</a></li></ul></nav>`
      : ''
  }<main id="main">${main}</main></div></body></html>`}`;
}

export function signInPage(base: string, options: { csrf: string; email?: string; error?: string }): string {
  return layout(
    { base, title: 'Sign in', session: null },
    html`<section class="card narrow"><h1>Sign in</h1>
<p class="muted">The back office for purchase orders: reviews, payments, documents and queues.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="${base}/sign-in">
<input type="hidden" name="csrf" value="${options.csrf}">
<p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}"></p>
<p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit" class="primary">Sign in</button></p>
</form></section>`,
  );
}

/** First sign-in with a temporary password: the person chooses their own. */
export function newPasswordPage(base: string, options: { csrf: string; email: string; error?: string }): string {
  return layout(
    { base, title: 'Choose your password', session: null },
    html`<section class="card narrow"><h1>Choose your password</h1>
<p class="muted">You signed in with a temporary password. Choose your own: at least 12 characters.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="${base}/new-password"><input type="hidden" name="csrf" value="${options.csrf}">
<p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${options.email}"></p>
<p><label for="current">Temporary password</label><input id="current" name="current" type="password" autocomplete="current-password" required></p>
<p><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
<p><label for="repeat">New password again</label><input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="12" required></p>
<p><button type="submit" class="primary">Set password and sign in</button></p></form></section>`,
  );
}

export function messagePage(page: Page, title: string, message: string): string {
  return layout({ ...page, title }, html`<h1>${title}</h1><p>${message}</p><p><a href="${page.base}">Back to the queues</a></p>`);
}
