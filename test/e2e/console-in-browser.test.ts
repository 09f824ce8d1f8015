import { mkdirSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, consoleSignIn, launchBrowser } from '../support/browser.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';
import { pdfText } from '../support/pdf-text.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The back office as finance and reviewers use it, in a real browser: sign in, find a PO, open its
 * invoice, record a payment, approve; only the actions a role may take are offered. Every page is
 * scanned for accessibility (axe-core) and kept as a screenshot in test-results/console/.
 */
const stack = new LocalStack();
let browser: Browser;
const shots = 'test-results/console';

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [browser] = await Promise.all([launchBrowser(), stack.start()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

const place = (key: string, company: string, poNumber: string) =>
  stack.request('POST', '/purchase-orders', {
    key: keys.checkout,
    body: order({ customer: buyer(`cust-${key}`, company, `ap@${key}.example`), poNumber, lines: [licence(14850, 2, 'LIC-TEAM', 'Team licence, 12 months')] }),
    headers: { 'Idempotency-Key': key },
  });

/** No serious or critical accessibility violation on the page as it is now; the page kept as a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
}

const signIn = (email: string): Promise<Page> => consoleSignIn(browser, stack, email);

describe('the console in a browser', () => {
  it('refuses a wrong password without saying which half was wrong', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.api}/console`);
    await check(page, '01-sign-in');
    await page.getByLabel('Email').fill('finance@seller.example');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The email, the password or the code is not right.');
    await page.getByLabel('Email').fill('nobody@seller.example');
    await page.getByLabel('Password').fill('dev-staff-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The email, the password or the code is not right.');
    await page.context().close();
  });

  it('finance finds a PO by its reference, opens its invoice, records a payment and sees it in the timeline', async () => {
    const po = (await place('globex', 'Globex Corporation', 'GLX-77')).body;
    await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } });
    await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'ordered' && p.documents.length === 1);

    const page = await signIn('finance@seller.example');
    await check(page, '02-queue-to-review');
    await page.getByLabel('Search').fill(po.reference);
    await Promise.all([page.waitForURL(new RegExp(`/console/po/${po.id}$`)), page.getByRole('button', { name: 'Find' }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe(po.reference);
    await expect(page.locator('.title .status').textContent()).resolves.toBe('ordered');
    await check(page, '03-po-ordered');

    // The invoice opens as a PDF.
    const invoice = page.getByRole('link', { name: /^invoice INV-/ });
    const href = await invoice.getAttribute('href');
    const pdf = await page.request.get(new URL(href!, page.url()).toString());
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(await pdfText(await pdf.body())).toContain('Globex Corporation');

    await page.getByLabel('Amount').fill('297.00');
    await page.getByLabel('Reference').fill('WIRE-2026-0042');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Record payment' }).click()]);
    await expect(page.locator('.title .status').textContent()).resolves.toBe('completed');
    const timeline = await page.locator('ol.timeline').textContent();
    expect(timeline).toMatch(/record payment[\s\S]*by finance@seller\.example/);
    expect(timeline).toContain('WIRE-2026-0042');
    await check(page, '04-po-completed');

    // Search by company, customer id or email finds it too.
    for (const query of ['globex', 'cust-globex', 'ap@globex.example', 'GLX-77']) {
      await page.goto(`${stack.api}/console/search?q=${encodeURIComponent(query)}`);
      expect(await page.getByRole('link', { name: po.reference }).count()).toBe(1);
    }
    await check(page, '05-search');
    await page.context().close();
  });

  it('a reviewer approves from the console; the timeline names them; they are offered no payment actions', async () => {
    const po = (await place('initrode', 'Initrode', 'INI-5')).body;
    const page = await signIn('reviewer@seller.example');
    expect(await page.getByRole('navigation', { name: 'Work queues' }).getByRole('link').allTextContents()).toEqual([expect.stringMatching(/^To review\d+$/), 'Two-step sign-in']);
    await page.getByRole('link', { name: po.reference }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(po.reference);
    const buttons = await page.locator('form.action button').allTextContents();
    expect(buttons).toEqual(['Approve', 'Reject']);
    await check(page, '06-po-to-review-as-reviewer');
    await page.getByLabel('Comment (optional)').fill('Letterhead checked');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Approve' }).click()]);
    await expect(page.locator('.title .status').textContent()).resolves.toBe('ordered');
    expect(await page.locator('ol.timeline').textContent()).toMatch(/approve[\s\S]*by reviewer@seller\.example[\s\S]*Letterhead checked/);
    expect(await page.locator('form.action button').allTextContents()).toEqual([]);
    expect(await page.getByRole('button', { name: 'Record payment' }).count()).toBe(0);
    await check(page, '07-po-ordered-as-reviewer');

    // The API agrees: the approval names the person.
    const stored = (await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body;
    expect(stored.history.find((h: { type: string }) => h.type === 'approve')).toMatchObject({ actor: 'reviewer', by: { type: 'person', email: 'reviewer@seller.example' } });
    await page.context().close();
  });

  it('shows why an action was refused, in words, and changes nothing', async () => {
    const po = (await place('umbrella', 'Umbrella Corp', 'UMB-1')).body;
    const page = await signIn('finance@seller.example');
    await page.goto(`${stack.api}/console/po/${po.id}`);
    // Someone else decides first; this page is now stale.
    await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'reject', comment: 'no letter' } });
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Not done: .*rejected/);
    await expect(page.locator('.title .status').textContent()).resolves.toBe('rejected');
    await check(page, '08-refused');
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('rejected');
    await page.context().close();
  });

  it('signs out, and a form from another session is refused', async () => {
    const page = await signIn('finance@seller.example');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in' }).count()).resolves.toBe(1);
    // A forged post without the session's token changes nothing.
    const po = (await place('hooli', 'Hooli', 'H-1')).body;
    const forged = await fetch(`${stack.api}/console/po/${po.id}/actions/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'csrf=guess',
      redirect: 'manual',
    });
    expect(forged.status).toBe(401);
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.status).toBe('awaiting_review');
    await page.context().close();
  });

  it('finance reads receivables by age and downloads them as CSV', async () => {
    const po = (await place('massive', 'Massive Dynamic, Inc.', 'MD-9')).body;
    await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: keys.finance, body: { decision: 'approve' } });
    await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'ordered' && p.documents.length === 1);
    // 45 days on: due after 30, so 15 days past due.
    await stack.request('POST', '/_local/clock', { body: { advanceSeconds: 45 * 86400 } });
    await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'overdue');

    const page = await signIn('finance@seller.example');
    await page.getByRole('link', { name: 'Receivables' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Receivables');
    const row = page.getByRole('row', { name: new RegExp(po.reference) });
    await expect(row.textContent()).resolves.toMatch(/Massive Dynamic, Inc\..*15.*\$297\.00/);
    await check(page, '09-receivables');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = (await import('node:fs')).readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Invoice,Reference,Company,Customer id,Currency,Due date,Days past due,Age,Outstanding');
    expect(lines.find((line) => line.includes(po.reference))).toMatch(new RegExp(`^INV-\\d{4}-\\d{6},${po.reference},"Massive Dynamic, Inc\\.",cust-massive,USD,\\d{4}-\\d{2}-\\d{2},15,1-30 days,297\\.00$`));
    // From the PO to the customer's account: what they owe, of it overdue, and their open orders.
    await page.getByRole('link', { name: po.reference }).click();
    await page.getByRole('link', { name: 'cust-massive' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Massive Dynamic, Inc.');
    await expect(page.getByRole('row', { name: /^USD/ }).textContent()).resolves.toMatch(/USD\s*\$297\.00\s*\$297\.00/);
    await expect(page.getByRole('row', { name: new RegExp(po.reference) }).textContent()).resolves.toMatch(/overdue/);
    await check(page, '09b-customer-account');
    await page.context().close();
  });

  it('finance edits the policy in a form: a wrong field is pointed out and nothing is kept; a right one is saved', async () => {
    const page = await signIn('finance@seller.example');
    await page.getByRole('link', { name: 'Policy' }).click();
    await check(page, '10-policy');
    await page.getByLabel('Payment terms (days)').fill('thirty');
    await page.getByLabel('Cart minimum per currency').fill('USD 150.00\nEUR 99.999');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The policy was not saved');
    expect(await page.locator('#paymentTermsDays-error').textContent()).toBe('enter a whole number of days');
    expect(await page.locator('#cartMinimum-error').textContent()).toContain('“EUR 99.999” is not');
    // What was ticked stays ticked.
    expect(await page.getByLabel('business', { exact: true }).isChecked()).toBe(true);
    await check(page, '11-policy-errors');
    expect((await stack.request('GET', '/policy', { key: keys.finance })).body.paymentTermsDays).toBe(30);

    await page.getByLabel('Payment terms (days)').fill('45');
    await page.getByLabel('Cart minimum per currency').fill('USD 150.00\nEUR 120.00');
    await page.getByLabel('Remind reviewers (days before the review expires)').fill('2');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('The policy is saved.');
    const policy = (await stack.request('GET', '/policy', { key: keys.finance })).body;
    expect(policy).toMatchObject({ paymentTermsDays: 45, cartMinimum: { USD: 15000, EUR: 12000 }, reviewReminderDays: 2 });
    await page.context().close();
  });

  it('finance invites a reviewer, who chooses a password at first sign-in; disabled, they cannot sign in', async () => {
    const finance = await signIn('finance@seller.example');
    await finance.getByRole('link', { name: 'Staff' }).click();
    await finance.getByLabel('Email').fill('new.reviewer@seller.example');
    await finance.getByLabel('Group', { exact: true }).selectOption('reviewer');
    await finance.getByRole('button', { name: 'Invite' }).click();
    const notice = await finance.getByRole('status').textContent();
    expect(notice).toContain('new.reviewer@seller.example is invited as reviewer.');
    const temporary = await finance.locator('[role=status] code').textContent();
    expect(temporary).toMatch(/^\S{16}$/);
    expect(await finance.getByRole('row', { name: /new\.reviewer@seller\.example/ }).textContent()).toMatch(/reviewer.*invited/);
    await check(finance, '12-staff');

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.api}/console`);
    await page.getByLabel('Email').fill('new.reviewer@seller.example');
    await page.getByLabel('Password').fill(temporary!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Choose your password');
    await check(page, '13-new-password');
    await page.getByLabel('Temporary password').fill(temporary!);
    await page.getByLabel('New password', { exact: true }).fill('a long new passphrase');
    await page.getByLabel('New password again').fill('a long new passphrase');
    await Promise.all([page.waitForURL(/\/console\/queues\//), page.getByRole('button', { name: 'Set password and sign in' }).click()]);
    await expect(page.locator('.who').textContent()).resolves.toContain('new.reviewer@seller.example');
    await context.close();

    await finance.getByRole('button', { name: 'Disable new.reviewer@seller.example' }).click();
    await expect(finance.getByRole('status').textContent()).resolves.toBe('new.reviewer@seller.example is disabled.');
    const again = await (await browser.newContext()).newPage();
    await again.goto(`${stack.api}/console`);
    await again.getByLabel('Email').fill('new.reviewer@seller.example');
    await again.getByLabel('Password').fill('a long new passphrase');
    await again.getByRole('button', { name: 'Sign in' }).click();
    await expect(again.getByRole('alert').textContent()).resolves.toBe('The email, the password or the code is not right.');
    await again.context().close();
    await finance.context().close();
  });

  it('finance adds a webhook endpoint, whose secret (shown once) verifies what it receives; the delivery log shows it; disable, enable and rotate', async () => {
    const receiver = new WebhookReceiver(async () => Date.parse(((await stack.request('GET', '/_local/clock')).body as { now: string }).now));
    await receiver.start();
    const finance = await signIn('finance@seller.example');
    await finance.getByRole('link', { name: 'Webhooks' }).click();
    await check(finance, '14-webhooks');
    await finance.getByLabel('URL (https, or http to 127.0.0.1)').fill(receiver.url);
    await finance.getByLabel('Description').fill('ERP');
    await finance.getByLabel('po.placed').check();
    await finance.getByLabel('invoice.issued').check();
    await finance.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(finance.getByRole('status').textContent()).resolves.toContain(`Added ${receiver.url}.`);
    const secret = await finance.locator('[role=status] code').textContent();
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret!];
    expect(await finance.getByRole('row', { name: new RegExp(receiver.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) }).textContent()).toContain('po.placed, invoice.issued');

    const placed = await place('hooks-console', 'Webhook Works', 'WW-1');
    await receiver.waitFor((r) => r.events.some((e) => e.poId === placed.body.id && e.type === 'po.placed'));
    expect(receiver.rejected).toEqual([]);
    await finance.getByRole('link', { name: receiver.url }).click();
    await expect(finance.locator('h1').textContent()).resolves.toBe(receiver.url);
    const row = finance.getByRole('row', { name: new RegExp(`evt_${placed.body.id}_1`) });
    await expect(row.textContent()).resolves.toMatch(/po\.placed.*delivered.*1.*HTTP 204/);
    await check(finance, '15-webhook-deliveries');

    await finance.getByRole('button', { name: 'Disable' }).click();
    await expect(finance.locator('dl').textContent()).resolves.toMatch(/Status\s*disabled[\s\S]*disabled by finance/);
    await finance.getByRole('button', { name: 'Enable' }).click();
    await expect(finance.locator('dl').textContent()).resolves.toMatch(/Status\s*enabled/);
    await finance.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await finance.locator('[role=status] code').textContent();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(finance.locator('dl').textContent()).resolves.toContain('Previous secret');
    await finance.context().close();
    await receiver.stop();
  });

  it('a letter entered in the console: each problem pointed out, then a reviewed offline PO in the person\'s name; the buyer told, not asked for a letter', async () => {
    const page = await signIn('finance@seller.example');
    await page.getByRole('link', { name: 'Enter an order' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Enter an order');
    await check(page, '20-enter-order');
    await page.getByLabel('Company').fill('Soylent Corp');
    await page.getByLabel('Customer id').fill('cust-soylent');
    await page.getByLabel('Email for invoices').fill('ap@soylent.example');
    await page.getByLabel("Buyer's PO number").fill('SOY-PO-311');
    await page.getByLabel('Currency').fill('USD');
    await page.getByLabel('Product code, line 1').fill('LIC-TEAM');
    await page.getByLabel('Description, line 1').fill('Team licence, 12 months');
    await page.getByLabel('Quantity, line 1').fill('5');
    await page.getByLabel('Unit price, line 1').fill('one hundred');
    await page.getByLabel('Street and number').first().fill('1 Soylent Plaza');
    await page.getByLabel('City').first().fill('New York');
    await page.getByLabel('State or region').first().fill('NY');
    await page.getByLabel('Country').first().fill('US');
    await page.getByRole('button', { name: 'Enter the order' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The order was not entered');
    expect(await page.locator('#line-0-unitAmount-error').textContent()).toBe('enter the unit price in USD, as “99.00”');
    // What was typed stays.
    expect(await page.getByLabel('Company').inputValue()).toBe('Soylent Corp');
    await check(page, '21-enter-order-problems');
    await page.getByLabel('Unit price, line 1').fill('148.50');
    await Promise.all([page.waitForURL(/\/console\/po\//), page.getByRole('button', { name: 'Enter the order' }).click()]);
    const reference = (await page.locator('h1').textContent())!;
    await expect(page.locator('.title .status').textContent()).resolves.toBe('awaiting review');
    expect(await page.locator('ol.timeline').textContent()).toMatch(/placed[\s\S]*by finance@seller\.example/);
    await check(page, '22-entered-order');
    // The letter itself, scanned: attached on the PO's page, and the very bytes come back from its link.
    const letter = await PDFDocument.create();
    letter.addPage([595, 842]).drawText('Purchase order SOY-PO-311, signed', { x: 72, y: 760, size: 14 });
    const scanned = Buffer.from(await letter.save());
    await page.setInputFiles('#signed-po', { name: 'soylent-letter.pdf', mimeType: 'application/pdf', buffer: scanned });
    await Promise.all([page.waitForURL(/#files$/), page.getByRole('button', { name: 'Attach', exact: true }).click()]);
    const link = page.getByRole('link', { name: 'soylent-letter.pdf' });
    const kept = await page.request.get(new URL((await link.getAttribute('href'))!, page.url()).href);
    expect(Buffer.from(await kept.body()).equals(scanned)).toBe(true);
    expect(await page.locator('ol.timeline').textContent()).toMatch(/attach by finance@seller\.example\s*soylent-letter\.pdf attached \(application\/pdf/);
    const told = await stack.waitForEmail((e) => e.subject === `${reference}: we have received your purchase order`);
    expect(told.destination.to).toEqual(['ap@soylent.example']);
    expect(told.body.text).toContain('SOY-PO-311');
    expect(told.body.text).not.toContain('letterhead');
    await page.context().close();
  });

  it("the seller's PO instructions page, for their website: who may order, the amounts, what a letter must contain, where to send it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(`${stack.api}/po-instructions`);
    expect(answer!.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Ordering by purchase order');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Businesses, government bodies and schools, colleges and universities may order from Example Software GmbH by purchase order');
    expect(text).toMatch(/USD\s+\$500\.00\s+\$100,000\.00/);
    expect(text).toContain('The billing currency');
    expect(text).toContain('+49 221 555 0199');
    // The terms as the policy says now (an earlier case set 45 days).
    const { paymentTermsDays } = (await stack.request('GET', '/policy', { key: keys.finance })).body;
    expect(text).toContain(`on ${paymentTermsDays} days' terms`);
    await check(page, '23-po-instructions');
    await context.close();
  });
});
