import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdminDisableUserCommand, AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, consoleSignIn, launchBrowser } from '../support/browser.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * People, not keys: the seeded staff sign in against the stack's user pool, call the API with their
 * ID token (verified by the authorizer with aws-jwt-verify), and the history names them. Two-step
 * sign-in on the stack's user pool (cognito-local keeps TOTP as Cognito does) in a real browser: a
 * new finance person sets up an authenticator app before anything else, signs out, and signs in
 * again with a code from otplib; signing out ends the session at the pool. Screenshots in
 * test-results/two-step/. And an API key rotated: the one before still opens the API for a day.
 */
const stack = new LocalStack();
let browser: Browser;
const shots = 'test-results/two-step';
beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

const place = (key: string) =>
  stack.request('POST', '/purchase-orders', {
    key: keys.checkout,
    body: order({ customer: buyer('cust-staff', 'Soylent Corp', 'ap@soylent.example'), lines: [licence(40000, 1)] }),
    headers: { 'Idempotency-Key': key },
  });

describe('staff on the local stack', () => {
  it('prints the seeded staff and where Cognito runs', () => {
    expect(stack.output).toContain('finance@seller.example (finance), password dev-staff-password');
    expect(stack.output).toContain('reviewer@seller.example (reviewer)');
    expect(stack.output).toContain(`Cognito        ${stack.cognito}`);
  });

  it('a reviewer signs in, approves with their token, and the history names them; they may not record payments', async () => {
    const token = await stack.signIn('reviewer@seller.example');
    const po = (await place('staff-1')).body;
    const approved = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: token, body: { decision: 'approve', comment: 'Signed letter on file' } });
    expect(approved.status).toBe(200);
    expect(approved.body.history.at(-1)).toMatchObject({ type: 'approve', actor: 'reviewer', by: { type: 'person', email: 'reviewer@seller.example', id: expect.any(String) } });
    const payment = await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: token, body: { amount: 100, reference: 'W-1' } });
    expect(payment.status).toBe(403);
  });

  it('finance records a payment with a token, named in the history; keys keep working for systems', async () => {
    const token = await stack.signIn('finance@seller.example');
    const po = (await place('staff-2')).body;
    expect((await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } })).body.history.at(-1)).toMatchObject({
      by: { type: 'key', name: 'finance' },
    });
    await stack.waitForPo(po.id, token, (p) => p.status === 'ordered' && p.documents.length === 1);
    const paid = await stack.request('POST', `/purchase-orders/${po.id}/payments`, { key: token, body: { amount: 40000, reference: 'WIRE-77' } });
    expect(paid.status).toBe(200);
    expect(paid.body.history.at(-1)).toMatchObject({ type: 'record_payment', actor: 'finance', by: { type: 'person', email: 'finance@seller.example' } });
  });

  it('refuses a wrong password without saying which half was wrong, and a forged or tampered token', async () => {
    await expect(stack.signIn('finance@seller.example', 'not-the-password')).rejects.toThrow();
    const token = await stack.signIn('reviewer@seller.example');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['finance'] })).toString('base64url');
    const tampered = await stack.request('GET', '/purchase-orders?status=ordered', { key: `${header}.${promoted}.${signature}` });
    expect(tampered.status).toBe(401);
    expect((await stack.request('GET', '/purchase-orders?status=ordered', { key: `${header}.${payload}.${signature.slice(0, -4)}AAAA` })).status).toBe(401);
    expect((await stack.request('GET', '/purchase-orders?status=ordered', { key: token })).status).toBe(200);
  });

  it('a reviewer whose email changed is still one approver: counted by their user id, the history names them with the email they had', async () => {
    await stack.updatePolicy({ approvalRules: [{ minTotal: { USD: 30000 }, approvals: 2 }] });
    const po = (await place('staff-sub')).body;
    const first = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: await stack.signIn('reviewer@seller.example'), body: { decision: 'approve' } });
    expect(first.body).toMatchObject({ status: 'awaiting_review', review: { approvals: [{ by: { type: 'person', email: 'reviewer@seller.example' } }] } });
    const sub = first.body.review.approvals[0].by.id as string;

    // The address changes (on AWS only through finance, and verified: the console client may write no attribute).
    const { UserPoolId, cognito } = stack.userPool();
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: 'reviewer@seller.example',
        UserAttributes: [
          { Name: 'email', Value: 'second-reviewer@seller.example' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    cognito.destroy();
    const renamed = await stack.signIn('second-reviewer@seller.example');
    const again = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: renamed, body: { decision: 'approve' } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('has already approved');
    const read = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(read.review.approvals).toEqual([expect.objectContaining({ by: { type: 'person', id: sub, email: 'reviewer@seller.example' } })]);
    expect(read.history.filter((entry: { type: string }) => entry.type === 'approve')).toHaveLength(1);
  });

  it('a finance person disabled in the directory loses their console session within a minute on the stack\'s clock', async () => {
    const Username = 'leaver@seller.example';
    await stack.addStaff(Username, 'finance', 'leaver-password-1');
    const { UserPoolId, cognito } = stack.userPool();
    const { IdToken, AccessToken } = await stack.signInWithTokens(Username, 'leaver-password-1');
    const policyPage = () => fetch(`${stack.api}/console/policy`, { headers: { Cookie: `po_session=${IdToken}; po_access=${AccessToken}` }, redirect: 'manual' }).then((answer) => answer.status);
    expect(await policyPage()).toBe(200);

    await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username }));
    cognito.destroy();
    // The directory is read at most once a minute per person: past the minute, the session is gone.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 61 } });
    expect(await policyPage()).toBe(401);
  });
});

async function check(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
}

async function password(page: Page, email: string, secret: string): Promise<void> {
  await page.goto(`${stack.api}/console`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('two-step sign-in in a browser', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(() => browser?.close());

  it('a new finance person sets up an authenticator app first, signs out, and signs in again only with its code', async () => {
    const email = 'new-finance@seller.example';
    await stack.addStaff(email, 'finance', 'new-finance-password');
    const page = await (await browser.newContext()).newPage();
    await password(page, email, 'new-finance-password');
    // Nothing but the set-up page: the queues redirect to it.
    await page.waitForURL(/\/console\/security$/);
    await page.goto(`${stack.api}/console/queues/to-ship`);
    await page.waitForURL(/\/console\/security$/);
    await expect(page.locator('figure.qr svg').count()).resolves.toBe(1);
    await check(page, '01-set-up');
    // The app is the test's: the key typed in from the page, its codes from otplib.
    stack.keepAuthenticator(email, (await page.locator('#key').textContent())!.replace(/\s/g, ''));
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That code was not right');
    // A wrong code showed a new key: the app takes that one.
    stack.keepAuthenticator(email, (await page.locator('#key').textContent())!.replace(/\s/g, ''));
    await page.getByLabel('Code').fill(stack.codeFor(email));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is on').waitFor();
    await check(page, '02-on');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // The password alone: a code is asked for, and no session is set until it is right.
    await password(page, email, 'new-finance-password');
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await check(page, '03-code');
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('po_session');
    await page.goto(`${stack.api}/console/queues/to-ship`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await password(page, email, 'new-finance-password');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The email, the password or the code is not right.');
    expect((await page.context().cookies()).map((cookie) => cookie.name)).not.toContain('po_session');

    await password(page, email, 'new-finance-password');
    await page.getByLabel('Code').fill(stack.codeFor(email));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/console\/queues\//);
    await page.context().close();
  }, 120_000);

  it("finance's API token from a password alone is refused until the person has an authenticator app", async () => {
    const email = 'api-finance@seller.example';
    await stack.addStaff(email, 'finance', 'api-finance-password');
    const { ClientId, cognito } = stack.userPool();
    cognito.destroy();
    const answer = await fetch(`${stack.cognito}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId, AuthParameters: { USERNAME: email, PASSWORD: 'api-finance-password' } }),
    });
    const passwordOnly = ((await answer.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken;
    expect((await stack.request('GET', '/purchase-orders?status=ordered', { key: passwordOnly })).status).toBe(401);
    // With an app set up (signIn does, as the console would make them), the next token works.
    const token = await stack.signIn(email, 'api-finance-password');
    expect((await stack.request('GET', '/purchase-orders?status=ordered', { key: token })).status).toBe(200);
  });

  it('signing out ends the session at the pool: a copy of its cookies opens nothing, in any container, past the minute', async () => {
    await stack.addStaff('leaving-reviewer@seller.example', 'reviewer', 'leaving-reviewer-password');
    const page = await consoleSignIn(browser, stack, 'leaving-reviewer@seller.example', 'leaving-reviewer-password');
    const copied = await page.context().cookies();
    expect(copied.map((cookie) => cookie.name)).toEqual(expect.arrayContaining(['po_access', 'po_session']));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Every container re-reads a session at most once a minute on the stack's clock.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 61 } });
    const thief = await browser.newContext();
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    const response = await stolen.goto(`${stack.api}/console/queues/to-review`);
    expect(response?.status()).toBe(401);
    await expect(stolen.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await thief.close();
    // Signing in again is a new session, which works.
    await (await consoleSignIn(browser, stack, 'leaving-reviewer@seller.example', 'leaving-reviewer-password')).context().close();
  });

  it('a finance colleague resets a lost authenticator app: the person signs in with the password alone and sets up a new one first', async () => {
    const email = 'lost-phone@seller.example';
    await stack.addStaff(email, 'finance', 'lost-phone-password');
    await stack.signIn(email, 'lost-phone-password'); // an app set up, as the console makes them
    await stack.addStaff('colleague@seller.example', 'finance', 'colleague-password');
    const colleague = await consoleSignIn(browser, stack, 'colleague@seller.example', 'colleague-password');
    await colleague.goto(`${stack.api}/console/staff`);
    await colleague.getByRole('button', { name: `Reset authenticator of ${email}` }).click();
    await colleague.getByText(`${email}'s authenticator app is turned off`).waitFor();
    await check(colleague, '05-reset-by-colleague');
    await colleague.context().close();
    // On the pool: the password alone signs in, and the console asks for a new app before anything else.
    const page = await (await browser.newContext()).newPage();
    await password(page, email, 'lost-phone-password');
    await page.waitForURL(/\/console\/security$/);
    await page.goto(`${stack.api}/console/queues/to-ship`);
    await page.waitForURL(/\/console\/security$/);
    await expect(page.locator('figure.qr svg').count()).resolves.toBe(1);
    await page.context().close();
  }, 120_000);
});

describe('API keys', () => {
  it('a rotated API key: the new one opens the API at once, the one before it for a day more, then no more', async () => {
    const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const SecretId = `arn:aws:secretsmanager:us-east-1:000000000000:secret:${Object.keys(template.Resources).find((id) => id.startsWith('FinanceKey'))!}`;
    const policy = (key: string) => stack.request('GET', '/policy', { key }).then((answer) => answer.status);
    expect(await policy(keys.finance)).toBe(200);
    const manager = new SecretsManagerClient({ endpoint: stack.aws, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await manager.send(new PutSecretValueCommand({ SecretId, SecretString: 'rotated-finance-key-2026' }));
    manager.destroy();
    expect(await policy('rotated-finance-key-2026')).toBe(200);
    expect(await policy(keys.finance)).toBe(200);
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 24 * 3600 + 600 } });
    expect(await policy(keys.finance)).toBe(401);
    expect(await policy('rotated-finance-key-2026')).toBe(200);
  });
});
