import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { StaffSignIn } from '../../functions/adapters/staff-sign-in.js';
import { makeConsoleHandler } from '../../functions/console/handler.js';
import { pageHeaders } from '../../functions/http/headers.js';
import { digest } from '../../functions/console/session.js';
import { fulfil } from '../../functions/app/tasks.js';
import { apiEvent, approvedOnFakes, directoryOf } from '../support/fakes.js';
import { memoryFiles, noFiles } from '../support/route-handlers.js';
import type { FileStore } from '../../functions/app/ports.js';
import { apply } from '../../functions/domain/purchase-order/index.js';
import { CSV_INLINE_BYTES } from '../../functions/console/queues.js';

/**
 * The back office's pages and forms without a browser (the browser tests click through the same
 * pages on the local stack): who sees what, the session and its CSRF token, forms that change a PO
 * and problems shown where they happened.
 */
const people = {
  'token-finance': { sub: 'sub-fin', email: 'fin@seller.example', groups: ['finance'] },
  'token-reviewer': { sub: 'sub-rev', email: 'rev@seller.example', groups: ['reviewer'] },
} as Record<string, { sub: string; email: string; groups: string[] }>;
/** The directory as it is now: who is disabled, who moved group since their token was issued. */
const disabled = new Set<string>();
const moved = new Map<string, 'finance' | 'reviewer'>();
const directory = directoryOf((email) => {
  const person = Object.values(people).find((p) => p.email === email);
  return { enabled: !disabled.has(email), group: moved.get(email) ?? ((person?.groups[0] as 'finance' | 'reviewer' | undefined) ?? null), mfa: true };
});

/** The pool's side of a session: each session's access token names its person. */
const signedIn: StaffSignIn = {
  signIn: async () => ({ ok: false, reason: 'wrong' }),
  answerCode: async () => null,
  refresh: async () => null,
  sessionOf: async (access) => people[access.replace(/^access-/, '')]?.sub ?? null,
  signOut: async () => {},
  startAuthenticator: async () => 'SECRET',
  confirmAuthenticator: async () => false,
};

async function consoleOn(files: FileStore = noFiles) {
  const { deps, poId } = await approvedOnFakes();
  const handle = makeConsoleHandler({
    ...deps,
    ...deps.publishing,
    files,
    staff: () => ({ verify: async (token: string) => people[token] ?? Promise.reject(new Error('bad token')) }),
    signIn: () => signedIn,
    directory: () => directory,
  });
  const request = (
    method: string,
    path: string,
    options: { as?: string; form?: Record<string, string>; csrf?: string; file?: { filename: string; type: string; bytes: Uint8Array } } = {},
  ) => {
    // A file goes as a browser sends it (multipart/form-data), base64 as API Gateway hands over a binary media type.
    const boundary = '----console-test-boundary';
    const multipart = options.file
      ? Buffer.concat([
          ...Object.entries({ ...(options.as ? { csrf: options.csrf ?? digest(`csrf:${options.as}`) } : {}), ...options.form }).map(([name, value]) =>
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
          ),
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.file.filename}"\r\nContent-Type: ${options.file.type}\r\n\r\n`),
          options.file.bytes,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ])
      : null;
    const [pathOnly, search] = path.split('?');
    const event: APIGatewayProxyEvent = apiEvent({
      method,
      path: `/console${pathOnly}`,
      ...(search ? { query: Object.fromEntries(new URLSearchParams(search)) } : {}),
      headers: {
        ...(options.as ? { Cookie: `po_session=${options.as}; po_access=access-${options.as}` } : {}),
        ...(multipart ? { 'Content-Type': `multipart/form-data; boundary=${boundary}` } : options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: multipart ? multipart.toString('base64') : options.form ? new URLSearchParams({ ...(options.as ? { csrf: options.csrf ?? digest(`csrf:${options.as}`) } : {}), ...options.form }).toString() : null,
    });
    event.isBase64Encoded = multipart !== null;
    event.resource = pathOnly === '/' ? '/console' : '/console/{proxy+}';
    return handle(event);
  };
  return { deps, poId, request, handle };
}

describe('the console, page by page', () => {
  it('asks for sign-in first, and answers pages with one set of security headers', async () => {
    const { request } = await consoleOn();
    const page = await request('GET', '/queues/to-review');
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('Sign in');
    expect(page.headers).toMatchObject(pageHeaders);
  });

  it('shows finance its queues and the PO with the actions finance may take', async () => {
    const { request, poId } = await consoleOn();
    const queue = await request('GET', '/queues/to-ship', { as: 'token-finance' });
    expect(queue.statusCode).toBe(200);
    const po = await request('GET', `/po/${poId}`, { as: 'token-finance' });
    expect(po.statusCode).toBe(200);
    expect(po.body).toContain('Record payment');
  });

  it('links each e-invoice format of a document, and answers each as XML; one it cannot have is not found', async () => {
    const { request, poId, deps } = await consoleOn();
    await fulfil(deps, { poId });
    const invoice = (await deps.pos.get(poId))!.po.documents[0]!;
    const page = await request('GET', `/po/${poId}`, { as: 'token-reviewer' });
    // Not subject to VAT (no tax settings): UBL and CII, no XRechnung.
    expect(page.body).toContain(`<a href="/console/po/${poId}/documents/${invoice.id}?format=ubl" download>UBL</a>, <a href="/console/po/${poId}/documents/${invoice.id}?format=cii" download>CII</a>`);
    const cii = await request('GET', `/po/${poId}/documents/${invoice.id}?format=cii`, { as: 'token-reviewer' });
    expect(cii).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': `attachment; filename="${invoice.number}-cii.xml"` } });
    expect(cii.body).toContain(`<ram:ID>${invoice.number}</ram:ID>`);
    expect((await request('GET', `/po/${poId}/documents/${invoice.id}?format=xrechnung`, { as: 'token-reviewer' })).statusCode).toBe(404);
  });

  it('lists receivables fifty at a time with the ages of all of them; a CSV too large to answer goes to S3 behind a link', async () => {
    const put: { key: string; bytes: Uint8Array; type: string }[] = [];
    const files: FileStore = { ...noFiles, put: async (key, bytes, type) => void put.push({ key, bytes, type }), downloadUrl: async (key) => `https://files.example/${key}?signed` };
    const { request, deps, poId } = await consoleOn(files);
    const approved = (await deps.pos.get(poId))!.po;
    const at = deps.clock.now();
    // 4,000 invoices owed on, due over the last 120 days, of companies with long names.
    for (let i = 0; i < 4_000; i += 1) {
      const id = `PO-R${i}`;
      const due = new Date(at.getTime() - (i % 120) * 86_400_000).toISOString().slice(0, 10);
      const po = { ...approved, id, reference: `PO-2026-R${i}`, customer: { ...approved.customer, company: `Receivable Holdings ${'x'.repeat(200)} ${i}` }, payment: { ...approved.payment, dueDate: due } };
      await deps.pos.create(apply(po, { type: 'issue_document', document: { id: `INV-R${i}`, type: 'invoice', number: `INV-R${i}`, issuedAt: at.toISOString(), total: po.total, dueDate: due } }, { actor: 'system', at }));
    }
    const page = await request('GET', '/receivables', { as: 'token-finance' });
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/INV-R\d+/g)!.length).toBe(50);
    expect(page.body).toContain('/receivables?next=');
    // The ages add up all 4,000, not the page: 4,000 times the total, in the buckets.
    const total = (approved.total * 4_000) / 100;
    expect(page.body.replace(/,/g, '')).toContain(total.toFixed(2));
    const csv = await request('GET', '/receivables.csv', { as: 'token-finance' });
    expect(csv.statusCode).toBe(303);
    expect(put).toHaveLength(1);
    expect(put[0]!.key).toMatch(/^exports\/[0-9a-f-]{36}\/receivables-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.headers?.Location).toBe(`https://files.example/${put[0]!.key}?signed`);
    const text = new TextDecoder().decode(put[0]!.bytes);
    expect(text.length).toBeGreaterThan(CSV_INLINE_BYTES);
    expect(text.trimEnd().split('\r\n')).toHaveLength(4_001);
  });

  it('searches by the start of a company word, 25 hits a page with a link to the next; an exact reference opens its PO', async () => {
    const { request, deps, poId } = await consoleOn();
    const approved = (await deps.pos.get(poId))!.po;
    for (let i = 0; i < 30; i += 1) {
      await deps.pos.create({ ...approved, id: `PO-S${i}`, reference: `PO-2026-S${String(i).padStart(4, '0')}`, customer: { ...approved.customer, company: `Nakatomi Trading ${i}` } });
    }
    const first = await request('GET', '/search?q=trad', { as: 'token-finance' });
    expect(first.statusCode).toBe(200);
    expect(first.body.match(/PO-2026-S\d{4}/g)).toHaveLength(25);
    const next = /href="[^"]*\/search\?q=trad&amp;next=([^"]+)"/.exec(first.body)![1]!;
    const second = await request('GET', `/search?q=trad&next=${next}`, { as: 'token-finance' });
    expect(second.body.match(/PO-2026-S\d{4}/g)).toHaveLength(5);
    expect(second.body).not.toContain('next=');
    const exact = await request('GET', '/search?q=PO-2026-S0007', { as: 'token-finance' });
    expect(exact.statusCode).toBe(303);
    expect(exact.headers?.Location).toMatch(/\/po\/PO-S7$/);
  });

  it("keeps finance's pages from reviewers: not found, as if they were not there", async () => {
    const { request, poId } = await consoleOn();
    for (const path of ['/webhooks', '/staff', '/policy', '/receivables', '/queues/overdue', '/customers/cust-1']) {
      expect((await request('GET', path, { as: 'token-reviewer' })).statusCode, path).toBe(404);
    }
    expect((await request('GET', '/queues/to-review', { as: 'token-reviewer' })).statusCode).toBe(200);
    // The PO's page names the customer but does not link a reviewer to the credit account.
    const page = (await request('GET', `/po/${poId}`, { as: 'token-reviewer' })).body;
    expect(page).toContain('cust-1');
    expect(page).not.toContain('/customers/cust-1');
    expect((await request('GET', '/customers/cust-1', { as: 'token-finance' })).statusCode).toBe(200);
  });

  it('refuses a form without the CSRF token of the session, and changes nothing', async () => {
    const { request, deps, poId } = await consoleOn();
    const refused = await request('POST', `/po/${poId}/actions/record-payment`, { as: 'token-finance', csrf: 'forged', form: { amount: '297.00', reference: 'W-1' } });
    expect(refused.statusCode).toBe(403);
    expect((await deps.pos.get(poId))!.po.payment.amountPaid).toBe(0);
  });

  it("records a payment from the PO's form, naming the person, and shows a refused one on the PO", async () => {
    const { request, deps, poId } = await consoleOn();
    const done = await request('POST', `/po/${poId}/actions/record-payment`, { as: 'token-finance', form: { amount: '100.00', reference: 'W-1' } });
    expect(done.statusCode).toBe(303);
    const po = (await deps.pos.get(poId))!.po;
    expect(po.payment.amountPaid).toBe(10_000);
    expect(po.history.at(-1)!.by).toEqual({ type: 'person', id: 'sub-fin', email: 'fin@seller.example' });
    // More than is outstanding: the API's 422, shown on the PO's page.
    const refused = await request('POST', `/po/${poId}/actions/record-payment`, { as: 'token-finance', form: { amount: '9999.00', reference: 'W-2' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('exceeds the amount outstanding');
    const typo = await request('POST', `/po/${poId}/actions/record-payment`, { as: 'token-finance', form: { amount: 'ten', reference: 'W-3' } });
    expect(typo.statusCode).toBe(422);
    expect(typo.body).toContain('enter the amount in USD as printed');
  });

  it('finance attaches the scanned letter on the PO\'s page: checked, kept, listed and named; anything else changes nothing', async () => {
    const files = memoryFiles();
    const { request, deps, poId, handle } = await consoleOn(files);
    const page = await request('GET', `/po/${poId}`, { as: 'token-finance' });
    expect(page.body).toMatch(/<form method="post" action="\/console\/po\/[^"]+\/attachments" enctype="multipart\/form-data"/);
    expect((await request('GET', `/po/${poId}`, { as: 'token-reviewer' })).body).not.toContain('enctype="multipart/form-data"');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
    const attached = await request('POST', `/po/${poId}/attachments`, { as: 'token-finance', file: { filename: 'C:\\scans\\letter.pdf', type: 'application/octet-stream', bytes: pdf } });
    expect(attached.statusCode).toBe(303);
    expect(attached.headers?.Location).toBe(`/console/po/${poId}#files`);
    const po = (await deps.pos.get(poId))!.po;
    expect(po.attachments).toEqual([expect.objectContaining({ contentType: 'application/pdf', size: pdf.length, filename: 'letter.pdf' })]);
    expect(po.history.at(-1)).toMatchObject({ type: 'attach', by: { type: 'person', email: 'fin@seller.example' } });
    expect(Buffer.from(files.objects.get(`po/${poId}/${po.attachments[0]!.id}`)!.bytes).equals(pdf)).toBe(true);
    expect((await request('GET', `/po/${poId}`, { as: 'token-finance' })).body).toContain('>letter.pdf</a>');
    // Not what it says, too large, no file, or a reviewer: a problem on the page, nothing kept.
    const fake = await request('POST', `/po/${poId}/attachments`, { as: 'token-finance', file: { filename: 'letter.pdf', type: 'application/pdf', bytes: Buffer.from('MZ not a pdf') } });
    expect(fake.statusCode).toBe(422);
    expect(fake.body).toContain('Not attached: the file is not the application/pdf it claims to be');
    const large = await request('POST', `/po/${poId}/attachments`, { as: 'token-finance', file: { filename: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([pdf, Buffer.alloc(4 * 1024 * 1024)]) } });
    expect(large.statusCode).toBe(413);
    expect(large.body).toContain('the console takes files of up to 4 MB');
    expect((await request('POST', `/po/${poId}/attachments`, { as: 'token-finance', form: {} })).statusCode).toBe(400);
    expect((await request('POST', `/po/${poId}/attachments`, { as: 'token-reviewer', file: { filename: 'letter.pdf', type: 'application/pdf', bytes: pdf } })).statusCode).toBe(404);
    // A body that is not the multipart it says (no boundary, or cut short): 400, never a 500.
    for (const [contentType, body] of [['multipart/form-data', 'x'], ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-']]) {
      const event = apiEvent({ method: 'POST', path: `/console/po/${poId}/attachments`, headers: { Cookie: 'po_session=token-finance; po_access=access-token-finance', 'Content-Type': contentType! }, body: body! });
      event.resource = '/console/{proxy+}';
      expect((await handle(event)).statusCode, contentType).toBe(400);
    }
    expect((await deps.pos.get(poId))!.po.attachments).toHaveLength(1);
    expect([...files.objects.keys()].filter((key) => key.startsWith('uploads/'))).toEqual([]);
  });

  it('enters an order that arrived by letter: each problem next to its field, then one PO in the person\'s name however often it is sent', async () => {
    const { request, deps } = await consoleOn();
    const form = await request('GET', '/orders/new', { as: 'token-reviewer' });
    expect(form.statusCode).toBe(200);
    const entry = /name="entry" value="([0-9a-f-]{36})"/.exec(form.body)![1]!;
    const letter = {
      entry,
      'customer-company': 'Globex GmbH',
      'customer-id': 'cust-globex',
      'customer-type': 'business',
      'customer-email': 'ap@globex.example',
      poNumber: 'GLX-2026-77',
      currency: 'EUR',
      'line-0-sku': 'LIC-PRO',
      'line-0-description': 'Pro licence, 1 year',
      'line-0-quantity': '12',
      'line-0-unitAmount': 'ninety',
      'line-0-fulfilment': 'digital',
      'billing-line1': 'Hauptstrasse 5',
      'billing-city': 'Berlin',
      'billing-country': 'DE',
    };
    const wrong = await request('POST', '/orders', { as: 'token-reviewer', form: { ...letter, 'customer-email': 'not an email' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="line-0-unitAmount"[^>]*aria-invalid="true"[^>]*>.*enter the unit price in EUR/s);
    expect(wrong.body).toContain('id="customer-email-error"');
    expect(wrong.body).toContain('value="Globex GmbH"');
    // EUR has no offline limits in the default policy: the rule, next to the currency.
    const noEur = await request('POST', '/orders', { as: 'token-reviewer', form: { ...letter, 'line-0-unitAmount': '90.00' } });
    expect(noEur.statusCode).toBe(422);
    expect(noEur.body).toContain('id="currency-error"');
    expect(deps.pos.items.size).toBe(1);

    const usd = { ...letter, currency: 'USD', 'line-0-unitAmount': '90.00' };
    const entered = await request('POST', '/orders', { as: 'token-reviewer', form: usd });
    expect(entered.statusCode).toBe(303);
    const again = await request('POST', '/orders', { as: 'token-reviewer', form: usd });
    expect(again.headers?.Location).toBe(entered.headers?.Location);
    const po = (await deps.pos.get(String(entered.headers!.Location).split('/').at(-1)!))!.po;
    expect(po).toMatchObject({ channel: 'offline', paymentMethod: 'purchase_order', status: 'awaiting_review', total: 108_000, poNumber: 'GLX-2026-77' });
    expect(po.history[0]).toMatchObject({ actor: 'reviewer', by: { type: 'person', email: 'rev@seller.example' } });
    expect(deps.pos.items.size).toBe(2);

    // A public buyer's letter: its Leitweg-ID, its Peppol address instead of an email, its exemption.
    const entry2 = /name="entry" value="([0-9a-f-]{36})"/.exec((await request('GET', '/orders/new', { as: 'token-reviewer' })).body)![1]!;
    const publicBuyer = { ...usd, entry: entry2, 'customer-type': 'government', 'customer-email': '', 'customer-taxExemptionId': 'EX-2026-9', 'customer-buyerReference': '05315000-12345-67', 'customer-einvoiceFormat': 'xrechnung' };
    const noAddress = await request('POST', '/orders', { as: 'token-reviewer', form: publicBuyer });
    expect(noAddress.statusCode).toBe(400);
    expect(noAddress.body).toMatch(/id="customer-email-error">is required, unless the customer has an endpointId/);
    const badAddress = await request('POST', '/orders', { as: 'token-reviewer', form: { ...publicBuyer, 'customer-endpointId': 'Leitweg 123' } });
    expect(badAddress.body).toMatch(/<a href="#customer-endpointId">Customer Peppol address<\/a>: must be scheme:value/);
    const byPeppol = await request('POST', '/orders', { as: 'token-reviewer', form: { ...publicBuyer, 'customer-endpointId': '0204:05315000-12345-67' } });
    expect(byPeppol.statusCode).toBe(303);
    const entered2 = (await deps.pos.get(String(byPeppol.headers!.Location).split('/').at(-1)!))!.po;
    expect(entered2.customer).toEqual(expect.objectContaining({ type: 'government', taxExemptionId: 'EX-2026-9', endpointId: '0204:05315000-12345-67', buyerReference: '05315000-12345-67', einvoiceFormat: 'xrechnung' }));
    expect(entered2.customer.email).toBeUndefined();
  });

  it('a person disabled or moved in the directory loses the old access within a minute, whatever their token says', async () => {
    const { request, deps } = await consoleOn();
    people['token-gone'] = { sub: 'sub-gone', email: 'gone@seller.example', groups: ['finance'] };
    people['token-moved'] = { sub: 'sub-moved', email: 'moved@seller.example', groups: ['finance'] };
    expect((await request('GET', '/policy', { as: 'token-gone' })).statusCode).toBe(200);
    expect((await request('GET', '/policy', { as: 'token-moved' })).statusCode).toBe(200);
    disabled.add('gone@seller.example');
    moved.set('moved@seller.example', 'reviewer');
    // Read at most once a minute: still in, for now.
    deps.clock.advance(30);
    expect((await request('GET', '/policy', { as: 'token-gone' })).statusCode).toBe(200);
    deps.clock.advance(31);
    expect((await request('GET', '/policy', { as: 'token-gone' })).statusCode).toBe(401);
    // Moved to the reviewers: finance's pages are gone, the review queue stays.
    expect((await request('GET', '/policy', { as: 'token-moved' })).statusCode).toBe(404);
    expect((await request('GET', '/queues/to-review', { as: 'token-moved' })).statusCode).toBe(200);
  });

  it('answers a cookie that is not valid percent-encoding with the sign-in page, not a fault', async () => {
    const { request } = await consoleOn();
    const event = await request('GET', '/queues/to-review', { as: '%' });
    expect(event.statusCode).toBe(401);
  });
});
