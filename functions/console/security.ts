import type { APIGatewayProxyResult } from 'aws-lambda';
import QRCode from 'qrcode';
import { log } from '../runtime/log.js';
import { both, html, redirect, type ConsoleRequest, type ConsoleRoute } from './router.js';
import { authenticatorPage, securityPage } from './views/security.js';

/**
 * Two-step sign-in: a person sets up an authenticator app (TOTP) with the user pool, from a QR code
 * or a key to type, and proves it with a first code; from then on the pool asks for a code at each
 * sign-in. Finance must (and reviewers, when the policy says so) before any other page.
 */
const issuer = 'Purchase orders';

/** The otpauth URI authenticator apps read (Key Uri Format): issuer, account and the secret. */
export const otpauthUri = (email: string, secret: string) =>
  `otpauth://totp/${encodeURIComponent(`${issuer}:${email}`)}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;

async function setUp(request: ConsoleRequest, status = 200, error?: string): Promise<APIGatewayProxyResult> {
  const { access, required } = request.account;
  const secret = await request.deps.signIn().startAuthenticator(access);
  const svg = await QRCode.toString(otpauthUri(request.session.email, secret), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return html(status, authenticatorPage(await request.page('security'), { secret, svg, required, ...(error ? { error } : {}) }));
}

export const securityRoutes: ConsoleRoute[] = [
  {
    method: 'GET',
    path: /^\/security$/,
    roles: both,
    handle: async (request) => (request.account.mfa ? html(200, securityPage(await request.page('security'), { justEnabled: false })) : setUp(request)),
  },
  {
    method: 'POST',
    path: /^\/security\/authenticator$/,
    roles: both,
    handle: async (request) => {
      const { access, mfa } = request.account;
      if (mfa) return redirect(`${request.base}/security`);
      const code = (request.fields.code ?? '').replace(/\s/g, '');
      if (!/^\d{6}$/.test(code) || !(await request.deps.signIn().confirmAuthenticator(access, code))) {
        // Each page shows a new secret: the app's entry for the old one is to be replaced.
        return setUp(request, 400, 'That code was not right. Here is a new key: remove the old entry from your app, scan this QR code and enter the code it shows.');
      }
      log.info('authenticator set up', { personId: request.by.id });
      return html(200, securityPage(await request.page('security'), { justEnabled: true }));
    },
  },
];
