import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextSteps } from '../../contract/execution.js';
import { apiGroups, routes as routeTable } from '../../contract/routes.js';
import { LAMBDA_NODE_MAJOR } from '../../infra/local/node-runtime.js';
import { PurchaseOrderStack } from '../../infra/po-stack.js';

let template: Template;
/** An app that synthesizes without bundling the functions: for stacks that vary only their settings. */
const unbundled = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
let definition: { States: Record<string, Record<string, unknown>> };

beforeAll(() => {
  const app = new App();
  const stack = new PurchaseOrderStack(app, 'Test', { mailFrom: 'orders@seller.example' });
  template = Template.fromStack(stack);
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
  // Resolve the definition's Fn::Join with placeholders for the function ARNs.
  const parts = (machine.Properties.DefinitionString['Fn::Join'] as [string, unknown[]])[1];
  const resolve = (p: unknown) =>
    typeof p === 'string' ? p : (p as { Ref?: string }).Ref === 'AWS::Partition' ? 'aws' : 'arn:aws:lambda:r:1:function:F';
  definition = JSON.parse(parts.map(resolve).join(''));
}, 120_000);

const functionsWith = (predicate: (statements: { Action: string | string[]; Resource: unknown }[]) => boolean) => {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => predicate(policy.Properties.PolicyDocument.Statement))
    .flatMap((policy) => policy.Properties.Roles.map((role: { Ref: string }) => role.Ref));
};
const actions = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('the stack', () => {
  it("stays far from CloudFormation's 500 resources with every option on: one function per group of routes", () => {
    const everything = Template.fromStack(
      new PurchaseOrderStack(unbundled(), 'Everything', {
        mailFrom: 'orders@seller.example',
        adminEmail: 'cfo@seller.example',
        alarmEmail: 'ops@seller.example',
        publicBaseUrl: 'https://po.seller.example/',
        sellerProfile: JSON.stringify({ name: 'Seller', addressLines: ['1 Road'], email: 'billing@seller.example' }),
      }),
    );
    const count = Object.keys(everything.toJSON().Resources).length;
    // 235 today (399 with one function per route); failing at 400 leaves room to grow and warns long before the wall.
    expect(count).toBeLessThanOrEqual(400);
    // Each group of routes is one function, whatever the number of its routes.
    expect(Object.keys(everything.findResources('AWS::Lambda::Function')).length).toBe(apiGroups.length + 13);
    expect(Object.keys(everything.findResources('AWS::Lambda::Permission')).length).toBeLessThanOrEqual(apiGroups.length + 2);
  });

  it('a Peppol access point, when named, reaches Notify alone: its URL, and reading its token secret; without one, no function has either', () => {
    const tokenSecretArn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:peppol-ap-token-AbCdEf';
    const withPeppol = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Peppol', { mailFrom: 'orders@seller.example', peppolAccessPoint: { url: 'https://ap.example/v1/documents', tokenSecretArn } }));
    const functions = Object.values(withPeppol.findResources('AWS::Lambda::Function'));
    const told = functions.filter((fn) => fn.Properties.Environment?.Variables?.PEPPOL_ACCESS_POINT_URL);
    expect(told.map((fn) => fn.Properties.Description)).toEqual(['Email buyer, finance and reviewers about each change of a PO, with its documents']);
    expect(told[0]!.Properties.Environment.Variables).toMatchObject({ PEPPOL_ACCESS_POINT_URL: 'https://ap.example/v1/documents', PEPPOL_ACCESS_POINT_TOKEN_SECRET_ARN: tokenSecretArn });
    const readers = Object.values(withPeppol.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[]).some((statement) => statement.Action === 'secretsmanager:GetSecretValue' && statement.Resource === tokenSecretArn),
    );
    expect(readers).toHaveLength(1);
    expect(Object.values(template.findResources('AWS::Lambda::Function')).some((fn) => fn.Properties.Environment?.Variables?.PEPPOL_ACCESS_POINT_URL)).toBe(false);
  });

  it('waits for the review and the payment on task tokens, each with a timeout whose expiry is caught', () => {
    const waits = Object.entries(definition.States).filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(waits.map(([name]) => name).sort()).toEqual(['Await payment on terms', 'Await prepayment', 'Await release', 'Await resume']);
    for (const [name, state] of waits) {
      expect(state.TimeoutSecondsPath).toBe('$.po.waitSeconds');
      expect((state.Parameters as { Payload: Record<string, unknown> }).Payload['token.$']).toBe('$$.Task.Token');
      // The timer first; any other failure asks for attention.
      expect(state.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.Timeout'] }),
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: `${name} failed` }),
      ]);
    }
    expect((definition.States['Await release']!.Catch as unknown[])[0]).toMatchObject({ Next: 'Review timer' });
    expect((definition.States['Await payment on terms']!.Catch as unknown[])[0]).toMatchObject({ Next: 'Payment calendar' });
    expect((definition.States['Await prepayment']!.Catch as unknown[])[0]).toMatchObject({ Next: 'Payment calendar' });
  });

  it('retries passing faults with capped, jittered backoff, and sends every other failure to "Needs attention"', () => {
    const tasks = Object.entries(definition.States).filter(([name, s]) => s.Type === 'Task' && name !== 'Needs attention');
    expect(tasks.length).toBe(11);
    for (const [name, state] of tasks) {
      const retries = state.Retry as { ErrorEquals: string[]; MaxDelaySeconds?: number; JitterStrategy?: string; MaxAttempts: number }[];
      const transient = retries.find((retry) => retry.ErrorEquals.includes('Transient'))!;
      expect(transient).toMatchObject({ MaxDelaySeconds: 300, JitterStrategy: 'FULL', MaxAttempts: 10 });
      const caught = (state.Catch as { ErrorEquals: string[]; Next: string; ResultPath: string }[]).find((c) => c.ErrorEquals.includes('States.ALL'))!;
      expect(caught).toMatchObject({ Next: `${name} failed`, ResultPath: '$.failure' });
      expect(definition.States[caught.Next]).toMatchObject({ Type: 'Pass', Result: name, ResultPath: '$.failedStep', Next: 'Needs attention' });
    }
    // Needs attention tells finance and waits for them; if it fails itself, the execution fails (and the alarm fires).
    expect(definition.States['Needs attention']).toMatchObject({ Next: 'Await resume' });
    expect(definition.States['Needs attention']!.Catch).toBeUndefined();
  });

  it('routes every step with one choice on one field the domain computes, and tells every change before an end state', () => {
    const choice = definition.States['Next step?'] as { Choices: Record<string, unknown>[]; Default: string };
    const compared = new Set(choice.Choices.map((rule) => rule.Variable));
    expect([...compared]).toEqual(['$.po.next']);
    expect(choice.Choices.every((rule) => Object.keys(rule).sort().join() === 'Next,StringEquals,Variable')).toBe(true);
    expect(choice.Choices.map((rule) => rule.StringEquals).sort()).toEqual([...nextSteps].sort());
    expect(definition.States[choice.Default]).toMatchObject({ Type: 'Fail' });
    // Every end state is reached only from the choice, which only Notify precedes.
    const into = (name: string) => Object.entries(definition.States).filter(([, s]) => s.Next === name || s.Default === name || (s.Choices as { Next: string }[] | undefined)?.some((c) => c.Next === name));
    // (The one exception: an execution that hands over to its successor ends after starting it.)
    for (const [end] of Object.entries(definition.States).filter(([, s]) => s.Type === 'Succeed' && s !== definition.States['Handed over'])) {
      expect(into(end).map(([name]) => name)).toEqual(['Next step?']);
    }
    expect(into('Handed over').map(([name]) => name)).toEqual(['Hand over']);
    expect(into('Hand over').map(([name]) => name)).toEqual(['Next step?']);
    expect(into('Next step?').map(([name]) => name)).toEqual(['Notify']);
    // Every task that changes the PO goes on to Notify.
    for (const name of ['Deliver and invoice', 'Issue proforma', 'Issue credit note', 'Payment calendar', 'Review timer']) {
      expect(definition.States[name]!.Next).toBe('Notify');
    }
  });

  it('retries every plain task on Lambda service errors', () => {
    const tasks = Object.values(definition.States).filter((s) => s.Type === 'Task');
    for (const task of tasks) {
      expect(task.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) })]));
    }
  });

  it("keeps the buyers' signed POs in a private, encrypted bucket reached over TLS only", () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    // Only the functions that receive files may write them: the API's, and the console's letters (uploads/*
    // until checked, po/* once kept); the reads and the console may copy issued documents (documents/*) for
    // their download links, the console large exports (exports/*), and nothing else.
    const putsOutside = (prefixes: string) => (statements: { Action: string | string[]; Resource: unknown }[]) =>
      statements.some((s) => actions([s]).includes('s3:PutObject') && !new RegExp(`/(${prefixes})/\\*"\\]\\]\\}$`).test(JSON.stringify(s.Resource)));
    expect(functionsWith(putsOutside('documents|exports')).map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['AttachmentFiles', 'Console']);
    expect(functionsWith(putsOutside('documents|exports|uploads|po')).map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['AttachmentFiles']);
    const writers = functionsWith((s) => actions(s).includes('s3:PutObject'));
    expect(writers.map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['AttachmentFiles', 'Console', 'Reads']);
  });

  it('alarms through a topic CloudWatch can publish to, counting quiet periods as zero, and mails whoever is named', () => {
    const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0]!;
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = template.findResources('AWS::KMS::Key')[keyId]!;
    expect(key.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)' })]),
    });
    expect(Object.keys(template.findResources('AWS::SNS::Subscription'))).toEqual([]);
    const subscribed = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Alarmed', { mailFrom: 'orders@seller.example', alarmEmail: 'ops@seller.example' }));
    subscribed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@seller.example' });
  });

  it('is a Standard state machine with tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    });
  });

  it('puts every event on a bus of its own and delivers webhooks with a state machine that waits between attempts', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const delivery = Object.entries(machines).find(([id]) => id.startsWith('DeliveryStateMachine'))!;
    const definition = JSON.parse(
      (delivery[1].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'ARN')).join(''),
    ) as { States: Record<string, { Type: string; SecondsPath?: string; Next?: string }> };
    const states = Object.values(definition.States);
    expect(states.map((state) => state.Type).sort()).toEqual(['Choice', 'Succeed', 'Task', 'Wait']);
    expect(definition.States['Wait for the next attempt']).toMatchObject({ Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Deliver' });
    expect(delivery[1].Properties.StateMachineName).toMatch(/-webhook-deliveries$/);
    // The delivery machine may invoke the delivery function and nothing else.
    const role = delivery[1].Properties.RoleArn['Fn::GetAtt'][0] as string;
    const invoked = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Action: string | string[] }) => actions([statement]).includes('lambda:InvokeFunction'))
      .flatMap((statement: { Resource: unknown }) => JSON.stringify(statement.Resource).match(/DeliverWebhook[A-F0-9]{8}/g) ?? ['something else']);
    expect(new Set(invoked)).toEqual(new Set([invoked[0]]));
    expect(invoked[0]).toMatch(/^DeliverWebhook/);
  });

  it('keeps the data with point-in-time recovery, encryption and a status index', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byStatus' }),
        Match.objectLike({ IndexName: 'signalsOwed', Projection: { ProjectionType: 'KEYS_ONLY' } }),
        Match.objectLike({ IndexName: 'needsAttention' }),
        Match.objectLike({ IndexName: 'openByCustomer', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['po'] } }),
        Match.objectLike({ IndexName: 'eventFeed', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['event'] } }),
        Match.objectLike({ IndexName: 'lists', KeySchema: [{ AttributeName: 'listKey', KeyType: 'HASH' }, { AttributeName: 'listSort', KeyType: 'RANGE' }] }),
      ],
    });
  });

  it('runs the reconciler every five minutes, through a role that may invoke only it', () => {
    const reconciler = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('Reconciler'))![0];
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [reconciler, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) }),
    });
    const invokers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('lambda:InvokeFunction') && JSON.stringify(policy.Properties.PolicyDocument).includes(reconciler),
    );
    expect(invokers).toHaveLength(1);
  });

  it('keeps the keys as generated secrets, read at run time, never as values in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    template.allResourcesProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) });
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toContain('dev-checkout-key');
    expect(json).not.toContain('dev-finance-key');
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const variables = Object.keys(fn.Properties.Environment?.Variables ?? {});
      expect(variables.filter((name) => /KEY$|SECRET$|PASSWORD/.test(name))).toEqual([]);
    }
  });

  it("serves every row of the route table through API Gateway, on its group's function, and nothing else", () => {
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const pathOf = (id: string | undefined): string =>
      id && resources[id] ? `${pathOf(resources[id].Properties.ParentId.Ref)}/${resources[id].Properties.PathPart}` : '';
    const served = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => {
      const uri = JSON.stringify(m.Properties.Integration.Uri);
      return { route: `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`, fn: /"([A-Za-z]+)[0-9A-F]{8}","Arn"/.exec(uri)?.[1] };
    });
    const expected = routeTable.flatMap((route) => [route.path, ...(route.alsoAt ?? [])].map((path) => ({ route: `${route.method} ${path}`, fn: route.group })));
    const byRoute = (list: { route: string }[]) => [...list].sort((x, y) => x.route.localeCompare(y.route));
    expect(byRoute(served)).toEqual(byRoute(expected));
  });

  it('grants each function only what it needs', () => {
    const starters = functionsWith((s) => s.some((one) => actions([one]).includes('states:StartExecution') && JSON.stringify(one.Resource).includes('-purchase-orders')));
    // Placement starts a PO's execution; finance's resume (API or console) starts a fresh one after one
    // ended badly; an execution near the one-year limit starts its successor.
    expect(starters.map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['Console', 'PlacePurchaseOrder', 'ResumeWorkflow', 'TaskHandOver']);
    // Deliveries are started by Notify (and Needs attention, of the same bundle) as they publish, by
    // finance's redelivery (API and console) and by a replay's pages; replays by finance alone.
    const startersOf = (machine: string) =>
      functionsWith((s) => s.some((one) => actions([one]).includes('states:StartExecution') && JSON.stringify(one.Resource).includes(machine))).map((r) => r.replace(/Role.*$/, '')).sort();
    expect(startersOf('-webhook-deliveries')).toEqual(['Console', 'ReplayWebhooks', 'TaskNeedsAttention', 'TaskNotify', 'WebhookEndpoints']);
    expect(startersOf('-webhook-replays')).toEqual(['Console', 'WebhookEndpoints']);
    const publishers = functionsWith((s) => actions(s).includes('events:PutEvents'));
    expect(publishers.map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['TaskNeedsAttention', 'TaskNotify']);

    const signallers = functionsWith((s) => actions(s).includes('states:SendTaskSuccess'));
    expect(signallers.some((r) => r.startsWith('Reads'))).toBe(false);
    expect(signallers.some((r) => r.startsWith('ReviewDecision'))).toBe(true);
    expect(signallers.some((r) => r.startsWith('PurchaseOrderActions'))).toBe(true);

    // Only the message tasks email (Notify, and Needs attention, which tells finance when Notify may be
    // what failed), and only they (of the tasks) read the link key for review requests.
    const emailers = functionsWith((s) => actions(s).includes('ses:SendEmail'));
    // The webhook delivery tells finance of an endpoint it disabled.
    expect(emailers.map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['DeliverWebhook', 'TaskNeedsAttention', 'TaskNotify']);
    const linkKeyReaders = functionsWith((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s).includes('LinkSigningKey'));
    expect(linkKeyReaders.filter((r) => r.startsWith('Task')).map((r) => r.replace(/Role.*$/, '')).sort()).toEqual(['TaskNeedsAttention', 'TaskNotify']);

    // Only the authorizer reads the API keys: handlers take the caller's role from its context.
    const keyReaders = functionsWith((s) => actions(s).includes('secretsmanager:GetSecretValue') && /CheckoutKey|FinanceKey/.test(JSON.stringify(s)));
    expect(keyReaders.map((r) => r.replace(/Role.*$/, ''))).toEqual(['Authorizer']);

    const writers = functionsWith((s) => actions(s).includes('dynamodb:PutItem'));
    // The review page only reads, but a wrong secret is counted (and locks the link): an update of
    // review items, nothing else.
    const updaters = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref.startsWith('ReviewPage')),
    );
    expect(updaters.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s: { Action: unknown }) => s.Action === 'dynamodb:UpdateItem')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REVIEW#*'] } } }),
    ]);
    for (const reader of ['Reads', 'ReviewPage', 'OpenApi']) {
      expect(writers.some((r) => r.startsWith(reader))).toBe(false);
    }
  });

  it('gives each function the DynamoDB writes it makes and no other', () => {
    const dynamoActions = (prefix: string) =>
      [
        ...new Set(
          Object.values(template.findResources('AWS::IAM::Policy'))
            .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref.startsWith(prefix)))
            .flatMap((policy) => actions(policy.Properties.PolicyDocument.Statement))
            .filter((action) => action.startsWith('dynamodb:')),
        ),
      ].sort();
    const read = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
    // A PO's write moves what it keeps (counts, exposure, receivables, search terms): it may put and delete those.
    const writePos = ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    const expected: Record<string, string[]> = {
      // Creates the PO and claims the Idempotency-Key; forgets a key whose request created nothing.
      PlacePurchaseOrder: [...read, ...writePos],
      Reads: read,
      PurchaseOrderActions: [...read, ...writePos],
      ResumeWorkflow: [...read, ...writePos],
      AttachmentFiles: [...read, ...writePos],
      ReviewDecision: [...read, ...writePos],
      ReviewPage: [...read, 'dynamodb:UpdateItem'], // review items only (above)
      PutPolicy: ['dynamodb:PutItem'],
      Console: [...read, ...writePos, 'dynamodb:Scan'],
      Reconciler: [...read, ...writePos],
      TaskAwaitChange: [...read, ...writePos],
      TaskHandOver: read,
      TaskFulfil: [...read, ...writePos],
      TaskNotify: [...read, ...writePos],
      // Records each attempt and changes the endpoint (failing since, disabled): puts only.
      DeliverWebhook: [...read, 'dynamodb:PutItem'],
      // Endpoints are written whole (create, change, rotate) and deleted; the log and replay read.
      WebhookEndpoints: [...read, 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
    };
    for (const [fn, granted] of Object.entries(expected)) expect(dynamoActions(fn), fn).toEqual([...new Set(granted)].sort());
    // The deletes are of Idempotency-Keys, of webhook endpoints, and of what PO writes keep under the POs' own partitions.
    const deletes = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Action: unknown }) => statement.Action === 'dynamodb:DeleteItem' || (Array.isArray(statement.Action) && statement.Action.includes('dynamodb:DeleteItem')));
    expect(deletes.length).toBeGreaterThanOrEqual(3);
    for (const statement of deletes) {
      const kept = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PO#*', 'COUNTS', 'CUSTOMER#*', 'RECEIVABLES', 'MIGRATION'] } };
      expect([{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEM#*'] } }, { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['WEBHOOKS'] } }, kept]).toContainEqual(statement.Condition);
    }
  });

  it('runs every function on one runtime with tracing, and keeps every log for a bounded time', () => {
    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' }, Architectures: ['arm64'] });
    const retention = Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);
    expect(retention.every((days) => days === 30 || days === 90)).toBe(true);
  });
});

describe('the edge', () => {
  it('authenticates every route but the reviewer links, the console (which checks its own session) the OpenAPI document and the PO instructions page with the authorizer, and validates bodies', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const open = methods.filter((m) => m.Properties.AuthorizationType !== 'CUSTOM');
    expect(open).toHaveLength(7);
    expect(methods.filter((m) => m.Properties.RequestModels).length).toBe(11);
    // A minute: a person disabled or moved in the directory is out within it.
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 60 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 50 }),
        // Reviewer links are public: their own, smaller budget, apart from checkout's.
        Match.objectLike({ HttpMethod: 'GET', ResourcePath: '/~1reviews~1{reviewId}', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }),
        Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1reviews~1{reviewId}', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }),
      ]),
    });
  });

  it('logs the state machines without execution data, and alarms when an execution of either ends badly', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }) });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Threshold: 1, AlarmActions: [Match.anyValue()] } }));
    const machinesWatched = alarms.flatMap((alarm) =>
      ((alarm.Properties.Metrics ?? []) as { MetricStat?: { Metric: { Dimensions: { Value: { Ref: string } }[] } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.Dimensions[0]!.Value.Ref] : [])),
    );
    const machines = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(new Set(machinesWatched)).toEqual(new Set(machines));
    // And a PO that needs attention (the count the needs-attention task publishes).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'PurchaseOrders',
      MetricName: 'PurchaseOrdersNeedingAttention',
      Dimensions: [{ Name: 'service', Value: 'purchase-orders' }],
      Threshold: 1,
      AlarmActions: [Match.anyValue()],
    });
  });

  it('declares the sender as an SES identity, unless the deployer has it verified already', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'orders@seller.example' });
    const verified = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Verified', { mailFrom: 'Acme <billing@acme.example>', senderIdentity: false }));
    verified.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const named = Template.fromStack(new PurchaseOrderStack(unbundled(), 'Named', { mailFrom: 'Acme <billing@acme.example>' }));
    named.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'billing@acme.example' });
  });
});

describe('the runtime', () => {
  it('runs every function on the Node major the local stack runs them on', () => {
    const runtimes = new Set(Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Runtime as string | undefined).filter(Boolean));
    expect(runtimes).toEqual(new Set([`nodejs${LAMBDA_NODE_MAJOR}.x`]));
  });
});
