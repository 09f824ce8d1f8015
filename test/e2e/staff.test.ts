import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
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

  it('a reviewer whose email changed is still one approver: counted by their user id, the history names them with the email they had', async () => {
    await stack.updatePolicy({ approvalRules: [{ minTotal: { USD: 30000 }, approvals: 2 }] });
    const po = (await place('staff-sub')).body;
    const first = await stack.request('POST', `/purchase-orders/${po.id}/review`, { key: await stack.signIn('reviewer@seller.example'), body: { decision: 'approve' } });
    expect(first.body).toMatchObject({ status: 'awaiting_review', review: { approvals: [{ by: { type: 'person', email: 'reviewer@seller.example' } }] } });
    const sub = first.body.review.approvals[0].by.id as string;

    // The address changes (on AWS only through finance, and verified: the console client may write no attribute).
    const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const poolLogicalId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0];
    const ids = JSON.parse(readFileSync(path.join(stack.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>;
    const cognito = new CognitoIdentityProviderClient({ endpoint: stack.cognito, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: ids[poolLogicalId],
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
    const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    const poolLogicalId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0];
    const UserPoolId = (JSON.parse(readFileSync(path.join(stack.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>)[poolLogicalId];
    const cognito = new CognitoIdentityProviderClient({ endpoint: stack.cognito, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const Username = 'leaver@seller.example';
    await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: Username }, { Name: 'email_verified', Value: 'true' }] }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: 'leaver-password-1', Permanent: true }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'finance' }));
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
