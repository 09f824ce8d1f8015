import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, consoleSignIn, launchBrowser } from '../support/browser.js';
import { LocalStack } from '../support/local-stack.js';

/**
 * Two-step sign-in on the stack's user pool (cognito-local, which keeps TOTP as Cognito does) in a
 * real browser: a new finance person is made to set up an authenticator app before anything else,
 * signs out, and signs in again with a code from otplib (refused without it, or with a wrong one).
 * Signing out ends the session at the pool: a copy of its cookies opens nothing. Screenshots in
 * test-results/two-step/.
 */
const stack = new LocalStack();
let browser: Browser;
const shots = 'test-results/two-step';

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [browser] = await Promise.all([launchBrowser(), stack.start()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

/** A person in the pool with a password of their own, in a group, as finance's invitation leaves them once they have chosen it. */
async function person(Username: string, GroupName: 'finance' | 'reviewer', Password: string): Promise<void> {
  const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
  const poolLogicalId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0];
  const UserPoolId = (JSON.parse(readFileSync(path.join(stack.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>)[poolLogicalId];
  const cognito = new CognitoIdentityProviderClient({ endpoint: stack.cognito, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: Username }, { Name: 'email_verified', Value: 'true' }] }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }));
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName }));
  cognito.destroy();
}

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
  it('a new finance person sets up an authenticator app first, signs out, and signs in again only with its code', async () => {
    const email = 'new-finance@seller.example';
    await person(email, 'finance', 'new-finance-password');
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
    await person(email, 'finance', 'api-finance-password');
    const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const clientLogicalId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')![0];
    const ClientId = (JSON.parse(readFileSync(path.join(stack.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>)[clientLogicalId];
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
    const page = await consoleSignIn(browser, stack, 'reviewer@seller.example');
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
    await (await consoleSignIn(browser, stack, 'reviewer@seller.example')).context().close();
  });
});
