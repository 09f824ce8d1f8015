import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeyFor } from '../../infra/local/iam.js';
import { keys, LocalStack } from '../support/local-stack.js';
import { buyer, licence, order } from '../support/orders.js';

/**
 * The local stack as strict as AWS: each function may call only what its role in the template
 * grants; and the failures only AWS shows (a paused sending account, a refused address, throttling)
 * can be made to happen, to see the workflow survive them.
 */
// The terminal as a developer sees it by default: a line per warning or error, the JSON in the data directory.
const stack = new LocalStack(undefined, { LOG_LEVEL: '' });
beforeAll(() => stack.start(), 120_000);
afterAll(() => stack.stop());

const template = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '..', '..', 'cdk.out', 'PurchaseOrders.template.json'), 'utf8')) as {
  Resources: Record<string, { Type: string }>;
};
const logicalId = (prefix: string) => Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(prefix))![0];
const secretId = (prefix: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${Object.keys(template.Resources).find((id) => id.startsWith(prefix))!}`;
/** The credentials a function signs with on the local stack. */
const as = (fn: string) => ({ endpoint: stack.aws, region: 'us-east-1', credentials: { accessKeyId: accessKeyFor({ logicalId: logicalId(fn) }), secretAccessKey: 'local' } });
const denied = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('is not authorized to perform') });
const table = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable')![0];
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'PO' } });

describe('IAM on the local stack', () => {
  it('refuses a call the template does not grant with AccessDeniedException, and lets a granted one through', async () => {
    const reader = new DynamoDBClient(as('Reads'));
    await expect(reader.send(new GetItemCommand({ TableName: table, Key: key('PO#none') }))).resolves.toBeDefined();
    await denied(reader.send(new PutItemCommand({ TableName: table, Item: { ...key('PO#forged'), po: { S: 'x' } } })));
    await denied(new SFNClient(as('Reads')).send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:PurchaseOrders-purchase-orders', name: 'forged' })));
    await denied(new SecretsManagerClient(as('Reads')).send(new GetSecretValueCommand({ SecretId: secretId('LinkSigningKey') })));
    await expect(new SecretsManagerClient(as('Authorizer')).send(new GetSecretValueCommand({ SecretId: secretId('CheckoutKey') }))).resolves.toMatchObject({ SecretString: keys.checkout });

    // The review page may count a wrong secret on review items (dynamodb:LeadingKeys REVIEW#*), and update nothing else.
    const reviewPage = new DynamoDBClient(as('ReviewPage'));
    const update = (pk: string) =>
      reviewPage.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: 'REVIEW' } }, UpdateExpression: 'ADD failures :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    await expect(update('REVIEW#none')).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await denied(update('PO#none'));

    // Only Notify (and Needs attention) may email, and only from the seller's address.
    const email = (from: string) => ({ FromEmailAddress: from, Destination: { ToAddresses: ['x@acme.example'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } });
    await denied(new SESv2Client(as('Reads')).send(new SendEmailCommand(email('orders@seller.example'))));
    await denied(new SESv2Client(as('TaskNotify')).send(new SendEmailCommand(email('someone@elsewhere.example'))));
    await expect(new SESv2Client(as('TaskNotify')).send(new SendEmailCommand(email('orders@seller.example')))).resolves.toMatchObject({ MessageId: expect.any(String) });

    // Managing staff is the console's: another function may not list or invite people.
    const ids = JSON.parse(readFileSync(path.join(stack.dataDir, 'cognito', 'ids.json'), 'utf8')) as Record<string, string>;
    const pool = ids[Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool')![0]]!;
    await denied(new CognitoIdentityProviderClient(as('Reads')).send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'mallory@elsewhere.example' })));
    await denied(new CognitoIdentityProviderClient(as('Reads')).send(new ListUsersCommand({ UserPoolId: pool })));
    const listed = await new CognitoIdentityProviderClient(as('Console')).send(new ListUsersCommand({ UserPoolId: pool }));
    expect(listed.Users?.map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value)).toContain('finance@seller.example');

    // The attachments bucket: the function that receives files may write them, another may not even read them.
    // Locally a bucket is named after its logical id, in lower case.
    const name = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')![0].toLowerCase();
    const s3 = (fn: string) => new S3Client({ ...as(fn), forcePathStyle: true });
    const put = (fn: string, key: string) => s3(fn).send(new PutObjectCommand({ Bucket: name, Key: key, Body: '%PDF-1.4 test' }));
    await expect(put('AttachmentFiles', 'attachments/iam-test/a.pdf')).resolves.toBeDefined();
    await expect(put('Reads', 'attachments/iam-test/b.pdf')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(s3('Reads').send(new GetObjectCommand({ Bucket: name, Key: 'attachments/iam-test/a.pdf' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    // A URL presigned by a function that may not read is refused too: S3 checks the signer's role.
    const presigned = await getSignedUrl(s3('Reads'), new GetObjectCommand({ Bucket: name, Key: 'attachments/iam-test/a.pdf' }), { expiresIn: 60 });
    expect((await fetch(presigned)).status).toBe(403);
  });

  it("keeps webhook secrets sealed in the table: the review page's and the console's roles may not open them, the delivery function's may", async () => {
    const created = await stack.request('POST', '/webhook-endpoints', { key: keys.finance, body: { url: 'https://erp.example/hooks' } });
    expect(created.status).toBe(201);
    const { Item } = await new DynamoDBClient(as('Reads')).send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'WEBHOOKS' }, sk: { S: `ENDPOINT#${created.body.id}` } } }));
    const stored = JSON.stringify(Item);
    expect(stored).not.toContain(created.body.secret);
    const sealed = Item!.endpoint!.M!.secrets!.L![0]!.M!.sealed!.S!;
    const open = (fn: string, context = { purpose: 'webhook-signing', endpoint: String(created.body.id) }) =>
      new KMSClient(as(fn)).send(new DecryptCommand({ CiphertextBlob: Buffer.from(sealed, 'base64'), EncryptionContext: context }));
    await denied(open('ReviewPage'));
    await denied(open('Console'));
    await denied(open('WebhookEndpoints'));
    const opened = await open('DeliverWebhook');
    expect(Buffer.from(opened.Plaintext!).toString('utf8')).toBe(created.body.secret);
    // Sealed for this endpoint: with another endpoint's context, KMS does not open it.
    await expect(open('DeliverWebhook', { purpose: 'webhook-signing', endpoint: 'we_other' })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });
});

const place = async (company: string) =>
  (
    await stack.request('POST', '/purchase-orders', {
      key: keys.checkout,
      body: order({ customer: buyer(`cust-${company}`, company, `ap@${company.toLowerCase()}.example`), lines: [licence(40000, 1, 'LIC-F')] }),
      headers: { 'Idempotency-Key': `fault-${company}` },
    })
  ).body;
const fault = (body: Record<string, unknown>) => stack.request('POST', '/_local/faults', { body });

describe('failures only AWS shows', () => {
  it('a paused sending account stops the step: the PO needs attention, finance is told, and resuming goes on from where it stood', { timeout: 90_000 }, async () => {
    // Notify's first try and its two retries meet a paused account; then SES sends again.
    expect((await fault({ service: 'ses', operation: 'SendEmail', error: 'SendingPausedException', message: 'Email sending is disabled for your entire account.', count: 3 })).status).toBe(201);
    const po = await place('Paused');
    const flagged = await stack.waitForPo(po.id, keys.finance, (p) => p.attention !== null, 30_000, () => 250);
    expect(flagged).toMatchObject({ status: 'awaiting_review', attention: { step: 'Notify', reason: expect.stringContaining('SendingPausedException') } });
    const mail = await stack.waitForEmail((e) => e.subject === `${po.reference}: needs attention - Notify failed`);
    expect(mail.destination.to).toEqual(['finance@seller.example']);
    const listed = await stack.request('GET', '/purchase-orders?attention=true', { key: keys.finance });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(po.id);
    // Nothing was told while the account was paused; nothing moves until finance resumes.
    expect((await stack.emails()).some((e) => e.subject.startsWith(`${po.reference}: purchase order to review`))).toBe(false);

    const resumed = await stack.request('POST', `/purchase-orders/${po.id}/resume`, { key: keys.finance });
    expect(resumed.status).toBe(200);
    expect(resumed.body.attention).toBeNull();
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    expect((await stack.request('GET', '/purchase-orders?attention=true', { key: keys.finance })).body.items.map((item: { id: string }) => item.id)).not.toContain(po.id);
    // The late "needs attention" notice is not sent again once resumed.
    expect((await stack.emails()).filter((e) => e.subject.includes('needs attention'))).toHaveLength(1);
    expect((await stack.request('POST', `/purchase-orders/${po.id}/resume`, { key: keys.finance })).status).toBe(409);

    // The terminal told of it in a line a person reads; the full JSON is in the data directory's log.
    expect(stack.output).toMatch(/\d\d:\d\d:\d\d WARN TaskNotify: task failed poId=\S+ task=notify error=SendingPausedException/);
    expect(stack.output.split('\n').some((line) => line.startsWith('{"level":"info"'))).toBe(false);
    const logged = readFileSync(path.join(stack.dataDir, 'logs', 'functions.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(logged.some((line) => JSON.parse(line).message === 'task failed' && line.includes(po.id))).toBe(true);
  });

  it('in the SES sandbox, an email to an unverified reviewer flags the PO for attention, and it goes once the address is verified', { timeout: 90_000 }, async () => {
    const ses = (body: Record<string, unknown>) => stack.request('POST', '/_local/ses', { body });
    // A new account: only the template's sender is verified; finance and the buyer verified their addresses.
    expect((await ses({ sandbox: true, verify: ['finance@seller.example', 'ap@sandbox.example'] })).body).toMatchObject({ sandbox: true, verified: expect.arrayContaining(['orders@seller.example']) });
    try {
      const po = await place('Sandbox');
      const flagged = await stack.waitForPo(po.id, keys.finance, (p) => p.attention !== null, 30_000, () => 250);
      expect(flagged.attention).toMatchObject({ step: 'Notify', reason: expect.stringMatching(/EmailIdentityNotVerified: .*not verified.*reviews@seller\.example/) });
      expect(flagged.attention.reason).toContain('resume the purchase order');
      // Finance hears of it (a verified address), and the back office lists it.
      await stack.waitForEmail((e) => e.subject === `${po.reference}: needs attention - Notify failed`);
      expect((await stack.request('GET', '/purchase-orders?attention=true', { key: keys.finance })).body.items.map((item: { id: string }) => item.id)).toContain(po.id);
      expect((await stack.emails()).some((e) => e.subject.startsWith(`${po.reference}: purchase order to review`))).toBe(false);

      // The seller verifies the reviewers' address in SES and resumes: the review request goes.
      await ses({ verify: ['reviews@seller.example'] });
      expect((await stack.request('POST', `/purchase-orders/${po.id}/resume`, { key: keys.finance })).status).toBe(200);
      const request = await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
      expect(request.destination.to).toEqual(['reviews@seller.example']);
      // Nothing was dropped for good along the way.
      expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.history.some((h: { type: string }) => h.type === 'email_failed')).toBe(false);
    } finally {
      await ses({ sandbox: false });
    }
  });

  it('an address SES refuses for good is recorded on the PO, finance is told, and the rest goes on', { timeout: 60_000 }, async () => {
    await fault({ service: 'ses', operation: 'SendEmail', error: 'MessageRejected', message: 'Email address is on the account-level suppression list.', count: 1 });
    const po = await place('Refused');
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`));
    await stack.waitForEmail((e) => e.subject === `${po.reference}: an email could not be sent`);
    const seen = await stack.waitForPo(po.id, keys.finance, (p) => p.history.some((h: { type: string }) => h.type === 'email_failed'));
    expect(seen.attention).toBeNull();
    expect(seen.history.find((h: { type: string }) => h.type === 'email_failed').data).toMatchObject({ notice: 'po-received', to: ['ap@refused.example'], reason: expect.stringContaining('MessageRejected') });
  });

  it('throttling is retried until it passes: the emails arrive and nobody is asked for attention', { timeout: 90_000 }, async () => {
    await fault({ service: 'ses', operation: 'SendEmail', error: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.', status: 429, count: 5 });
    const po = await place('Throttled');
    await stack.waitForEmail((e) => e.subject.startsWith(`${po.reference}: purchase order to review`), 60_000);
    expect((await stack.request('GET', `/purchase-orders/${po.id}`, { key: keys.finance })).body.attention).toBeNull();
  });
});
