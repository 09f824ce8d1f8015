import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalStack } from './local-stack.js';

/** Debian's Chromium, driven by playwright-core, headless, with no background traffic (a fresh profile each launch). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serious or critical accessibility violations on the page as it is now (axe-core, WCAG 2.1 A and AA). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Signs a person in to the console in a new browser context, as they would: email and password, then
 * the code of their authenticator app; a person who has none yet is sent to set one up, and does
 * (the key read off the page, codes from otplib through the stack). Ends on their first queue.
 */
export async function consoleSignIn(browser: Browser, stack: LocalStack, email: string, password = 'dev-staff-password'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${stack.api}/console`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  if (await page.getByRole('heading', { name: 'Enter your code' }).isVisible()) {
    await page.getByLabel('Code').fill(stack.codeFor(email));
    await page.getByRole('button', { name: 'Sign in' }).click();
  } else if (page.url().endsWith('/console/security')) {
    stack.keepAuthenticator(email, (await page.locator('#key').textContent())!.replace(/\s/g, ''));
    await page.getByLabel('Code').fill(stack.codeFor(email));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is on').waitFor();
    await page.goto(`${stack.api}/console`);
  }
  await page.waitForURL(/\/console\/queues\//);
  return page;
}
