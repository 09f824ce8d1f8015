import { SafeHtml, html } from '../../templates/html.js';
import { layout, type Page } from './layout.js';

/** The pages of two-step sign-in: the code at sign-in, and setting up an authenticator app. */

/** After the password, the code of the person's authenticator app. */
export function codePage(base: string, options: { csrf: string }): string {
  return layout(
    { base, title: 'Enter your code', session: null },
    html`<section class="card narrow"><h1>Enter your code</h1>
<p class="muted">Open the authenticator app you set up for the back office and enter the 6-digit code it shows now.</p>
<form method="post" action="${base}/sign-in/code"><input type="hidden" name="csrf" value="${options.csrf}">
<p><label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus></p>
<p><button type="submit" class="primary">Sign in</button></p></form></section>`,
  );
}

/**
 * Setting up an authenticator app: the secret as a QR code to scan and as a key to type, and the
 * first code to prove it works. `svg` is the QR code, drawn by the qrcode library from the secret.
 */
export function authenticatorPage(page: Page, options: { secret: string; svg: string; required: boolean; error?: string }): string {
  const grouped = options.secret.replace(/(.{4})/g, '$1 ').trim();
  return layout(
    { ...page, title: 'Set up two-step sign-in' },
    html`<h1>Set up two-step sign-in</h1>
${options.required ? html`<p class="notice" role="status">Your role signs in with a password and a code from an authenticator app. Set one up to go on.</p>` : ''}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<section class="card narrow"><h2>1. Add the back office to your app</h2>
<p>Scan this code with an authenticator app (for example 1Password, Google Authenticator, Microsoft Authenticator or Aegis).</p>
<figure class="qr">${new SafeHtml(options.svg)}<figcaption>QR code for your authenticator app</figcaption></figure>
<p>Or type this key into the app (time-based, 6 digits, 30 seconds):</p>
<p><code class="key" id="key">${grouped}</code></p>
<h2>2. Enter the code it shows</h2>
<form method="post" action="${page.base}/security/authenticator"><input type="hidden" name="csrf" value="${page.session?.csrf ?? ''}">
<p><label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required></p>
<p><button type="submit" class="primary">Turn on two-step sign-in</button></p></form></section>`,
  );
}

/** Two-step sign-in is on. */
export function securityPage(page: Page, options: { justEnabled: boolean }): string {
  return layout(
    { ...page, title: 'Two-step sign-in' },
    html`<h1>Two-step sign-in</h1>
${options.justEnabled ? html`<p class="notice" role="status">Two-step sign-in is on. From your next sign-in the back office asks for a code from your app. <a href="${page.base}">Go to your queues</a></p>` : ''}
<section class="card narrow"><p>You sign in with your password and a code from your authenticator app.</p>
<p class="muted">Lost your app? Whoever manages the staff user pool can reset your second factor (AdminSetUserMFAPreference); then you set up a new one here. Signing out ends your sessions everywhere.</p></section>`,
  );
}
