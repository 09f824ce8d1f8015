import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser } from '../support/browser.js';
import { keys, LocalStack, reviewLinkIn } from '../support/local-stack.js';
import { buyer, licence, order as orderBody } from '../support/orders.js';

/** The reviewer's page as a reviewer sees it: opened from the email in a real browser, decided with a click. */
const stack = new LocalStack();
let browser: Browser;

beforeAll(async () => {
  [browser] = await Promise.all([launchBrowser(), stack.start()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

const order = orderBody({
  customer: buyer('cust-9', 'City of Example', 'procurement@city.example', 'government'),
  poNumber: 'CITY-77',
  lines: [licence(20000, 5, 'LIC-GOV', 'Government licence <3 years>')],
});

describe('the review page in a browser', () => {
  it('shows the PO and releases it with a click on Approve', async () => {
    const po = (await stack.request('POST', '/purchase-orders', { key: keys.checkout, body: order, headers: { 'Idempotency-Key': 'browser-1' } })).body;
    const link = reviewLinkIn(await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`)));

    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(link.toString());
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe(`Review ${po.reference} · Purchase orders`);
    const content = await page.textContent('body');
    expect(content).toContain('City of Example');
    expect(content).toContain('Government licence <3 years>'); // escaped, shown as text
    expect(content).toContain('$1,000.00');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/review-page.png', fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    // It shares the back office's stylesheet: no inline style, a strict CSP.
    expect(await page.evaluate('getComputedStyle(document.querySelector("button.approve")).backgroundColor')).toBe('rgb(29, 78, 216)');

    await page.fill('#comment', 'Signed letter received by fax');
    await Promise.all([page.waitForNavigation(), page.click('button.approve')]);
    await expect(page.textContent('h1')).resolves.toBe(`${po.reference} approved`);

    const ordered = await stack.waitForPo(po.id, keys.finance, (p) => p.status === 'ordered');
    expect(ordered.history.find((h: { type: string }) => h.type === 'approve')).toMatchObject({ actor: 'reviewer', detail: 'Signed letter received by fax' });

    // Going back shows that the decision is taken (the page is never served from cache).
    await page.goBack();
    await expect(page.textContent('h1')).resolves.toBe('Already decided');
    expect(await page.locator('button.reject').count()).toBe(0);
    await page.context().close();
  });
});
