import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * People, not keys: the seeded staff sign in against the stack's user pool, call the API with their
 * ID token (verified by the authorizer with aws-jwt-verify), and the history names them.
 */
const stack = new LocalStack();
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
});
