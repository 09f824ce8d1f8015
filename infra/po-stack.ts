import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PurchaseOrderWorkflow, type WorkflowTask } from '../workflows/purchase-order-workflow.js';
import { modelFor } from './constructs/api-models.js';
import { PoFunction } from './constructs/po-function.js';
import { Staff } from './constructs/staff.js';
import { acknowledge } from './constructs/acknowledge.js';
import { addAlarms } from './constructs/alarms.js';
import { standardMachine } from './constructs/state-machine.js';
import { webhookMachines } from './constructs/webhooks.js';
import { Bindings, type Binding } from './constructs/bindings.js';
import { apiGroups, routes, type ApiGroup } from '../contract/routes.js';
import { envNames } from '../functions/runtime/env.js';
import { apiFunctions } from './api-functions.js';

export interface PoStackProps extends StackProps {
  /** Where review links point; defaults to the API's own URL. */
  publicBaseUrl?: string;
  /** The SES-verified sender of every email. */
  mailFrom: string;
  /**
   * Whether the stack declares the sender as an SES identity (true unless told otherwise): SES then
   * mails the address a link to verify it. False where the address or its domain is verified already.
   */
  senderIdentity?: boolean;
  /** JSON of the seller profile printed on documents (name, address, bank details). */
  sellerProfile?: string;
  /** Who is emailed when an execution fails, times out or is aborted. */
  alarmEmail?: string;
  /**
   * The seller's Peppol access point, for buyers who asked for Peppol: the https URL of its API that
   * takes a UBL document, and the Secrets Manager secret (ARN) holding its bearer token. Without it
   * nothing is sent over Peppol, and no function gets any of this.
   */
  peppolAccessPoint?: { url: string; tokenSecretArn: string };
  /** The first finance user of the back office, invited by email. */
  adminEmail?: string;
}

const taskDescriptions: Record<WorkflowTask, string> = {
  notify: 'Email buyer, finance and reviewers about each change of a PO, with its documents',
  reviewTimer: 'Remind the reviewers before the review closes; cancel the PO when it has closed',
  issueProforma: 'Issue the proforma invoice for prepayment',
  awaitChange: 'Wait for the next change of a PO (review, payment, delivery)',
  fulfil: 'Deliver the digital goods and issue the invoice',
  paymentCalendar: 'Reminders, overdue and automatic cancellation of an unpaid invoice',
  issueCreditNote: 'Issue the credit note of a cancelled invoice',
  needsAttention: 'Mark a PO whose workflow step failed for good as needing attention and tell finance',
  handOver: 'Start the execution that takes over a PO from one nearing the one-year limit',
};

/** What each bundle of tasks may use. */
const groupBindings: Record<'lifecycle' | 'messages' | 'documents', Binding[]> = {
  lifecycle: ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow'],
  messages: ['readTable', 'updateItems', 'writePurchaseOrders', 'putItems', 'signalWorkflow', 'linkKey', 'sendEmail', 'sellerProfile', 'publicBaseUrl', 'publishEvents', 'startDeliveries'],
  documents: ['readTable', 'updateItems', 'writePurchaseOrders', 'putItems', 'signalWorkflow', 'sellerProfile'],
};

/** Which bundle (functions/tasks/<group>.ts) serves each task. */
const taskGroups: Record<WorkflowTask, 'lifecycle' | 'messages' | 'documents'> = {
  awaitChange: 'lifecycle',
  reviewTimer: 'lifecycle',
  paymentCalendar: 'lifecycle',
  notify: 'messages',
  issueProforma: 'documents',
  fulfil: 'documents',
  issueCreditNote: 'documents',
  needsAttention: 'messages',
  handOver: 'lifecycle',
};

/** A task that needs other than its bundle's bindings: the hand-over reads the PO and starts an execution, and writes nothing. */
const taskBindings: Partial<Record<WorkflowTask, Binding[]>> = {
  handOver: ['readTable', 'restartWorkflow'],
};

export class PurchaseOrderStack extends Stack {
  constructor(scope: Construct, id: string, props: PoStackProps) {
    super(scope, id, props);

    // One table for POs, documents, reviews, idempotency keys and number series (see README).
    const table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: 'byStatus',
          partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
        },
        {
          // Sparse: only POs whose workflow is owed a signal (seconds each, unless one was lost).
          indexName: 'signalsOwed',
          partitionKey: { name: 'owedKey', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'owedSince', type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.KEYS_ONLY,
        },
        {
          // Sparse: only POs whose workflow waits for finance after a step failed for good.
          indexName: 'needsAttention',
          partitionKey: { name: 'attentionKey', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'attentionSince', type: dynamodb.AttributeType.STRING },
        },
        {
          // Sparse: only open POs, by customer (credit control: exposure and the overdue hold).
          indexName: 'openByCustomer',
          partitionKey: { name: 'customerKey', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'customerSince', type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: ['po'],
        },
        {
          // Sparse: only published events, in the order they were published (the feed GET /events).
          indexName: 'eventFeed',
          partitionKey: { name: 'feedKey', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'feedAt', type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: ['event'],
        },
        {
          // Sparse: the back office's lists that must cost the same at any size: POs with something to
          // ship, open invoices by due date, search terms by prefix (functions/adapters/dynamo/aggregates.ts).
          // One index for the three: CloudFormation adds one index to a table per update.
          indexName: 'lists',
          partitionKey: { name: 'listKey', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'listSort', type: dynamodb.AttributeType.STRING },
        },
      ],
    });

    const generated = (id: string, description: string) => {
      const secret = new secretsmanager.Secret(this, id, {
        description,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'Rotated by the seller on their schedule: the API keys are configured in their checkout and back office, and rotating the link-signing key would void the review links in flight.',
      });
      return secret;
    };
    const checkoutKey = generated('CheckoutKey', 'API key of the checkout role');
    const financeKey = generated('FinanceKey', 'API key of the finance role');
    const linkKey = generated('LinkSigningKey', 'Key that derives review link ids and hashes their secrets');

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'purchase-orders',
      description: 'Purchase-order workflow: checkout, reviewer links and finance',
      // The signed PO's file types, and the console's form that sends one (multipart/form-data): the
      // function gets their bytes base64, not forced through UTF-8.
      binaryMediaTypes: ['application/pdf', 'image/png', 'image/jpeg', 'multipart/form-data'],
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
        // The public review routes get a budget of their own, so a flood on them cannot starve checkout.
        methodOptions: Object.fromEntries(
          ['/reviews/{reviewId}/GET', '/reviews/{reviewId}/POST', '/reviews/{reviewId}/attachments/{attachmentId}/GET'].map((method) => [
            method,
            { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
          ]),
        ),
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        // Errors only, and never the request or response bodies (they carry keys and link secrets).
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
      cloudWatchRole: true,
      // The account-wide API Gateway logging role outlives this stack: other APIs of the account use it too.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(api, {
      'AwsSolutions-APIG3': 'WAF is the seller’s choice per deployment; stage throttling, the authorizer and request validation stand in front of every function.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The account-level role API Gateway needs to write its execution logs; AWS manages its narrow policy.',
    });
    // API Gateway's own refusals speak the contract's problem+json too.
    const problemResponse = (type: apigateway.ResponseType, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) =>
      api.addGatewayResponse(`${title.replace(/\W/g, '')}Response`, {
        type,
        statusCode: String(status),
        responseHeaders: { 'Content-Type': "'application/problem+json'", 'Cache-Control': "'no-store'" },
        templates: { 'application/json': JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }) },
      });
    problemResponse(apigateway.ResponseType.UNAUTHORIZED, 401, 'Unauthorized', 'send a valid API key as Authorization: Bearer <key>');
    problemResponse(apigateway.ResponseType.ACCESS_DENIED, 403, 'Forbidden', 'this key may not call this route');
    // The validator's words come as one string; the contract's errors[] carries it for the body as a whole.
    problemResponse(apigateway.ResponseType.BAD_REQUEST_BODY, 400, 'Bad Request', 'the request body is not valid: $context.error.validationErrorString', {
      errors: [{ path: '', message: '$context.error.validationErrorString' }],
    });
    // Past Lambda's 6 MB request (a file over about 4.4 MiB, in base64) or API Gateway's 10 MB.
    problemResponse(
      apigateway.ResponseType.REQUEST_TOO_LARGE,
      413,
      'Payload Too Large',
      'the request body is too large: JSON bodies may be 256 KiB and files sent directly 4 MiB; upload larger files (up to 10 MiB) by sending {"contentType","size"} as JSON for a presigned upload',
    );
    problemResponse(apigateway.ResponseType.INTEGRATION_TIMEOUT, 504, 'Gateway Timeout', 'the request took longer than 29 seconds; it may still complete, so read before retrying');
    problemResponse(apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, 415, 'Unsupported Media Type', 'send the body as application/json');
    problemResponse(apigateway.ResponseType.THROTTLED, 429, 'Too Many Requests', 'slow down and retry');
    problemResponse(apigateway.ResponseType.DEFAULT_5XX, 502, 'Bad Gateway', 'something went wrong on our side; the request may be retried');
    const validator = new apigateway.RequestValidator(this, 'RequestValidator', { restApi: api, validateRequestBody: true, validateRequestParameters: true });

    // Named, so that the task functions may answer its tokens without a reference cycle.
    const stateMachineName = `${this.stackName}-purchase-orders`;
    const staff = new Staff(this, 'Staff', { ...(props.adminEmail ? { adminEmail: props.adminEmail } : {}) });
    // The buyers' signed POs: private, encrypted, reached only through presigned URLs of minutes.
    const attachments = new s3.Bucket(this, 'Attachments', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [{ allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET], allowedOrigins: ['*'], allowedHeaders: ['content-type'], maxAge: 3000 }],
      // Uploads never completed (or left behind by a completion) go after a day, every version of them.
      lifecycleRules: [
        { id: 'abandoned-uploads', prefix: 'uploads/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Large CSV exports, fetched through a link valid for minutes: gone the next day.
        { id: 'exports', prefix: 'exports/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
      ],
    });
    acknowledge(attachments, {
      'AwsSolutions-S1': "Access goes through presigned URLs the API hands out and logs; server access logs are the seller's choice per deployment.",
    });
    // Every event of every PO, for the seller's own EventBridge rules (webhooks are delivered apart).
    const eventBus = new events.EventBus(this, 'EventBus', { eventBusName: `${this.stackName}-purchase-orders`, description: 'Events of the purchase orders (source purchase-orders)' });
    const deliveryStateMachineName = `${this.stackName}-webhook-deliveries`;
    const replayStateMachineName = `${this.stackName}-webhook-replays`;
    // SES sends only from a verified identity: the sender, verified by the link SES mails it.
    if (props.senderIdentity !== false) {
      new ses.EmailIdentity(this, 'SenderIdentity', { identity: ses.Identity.email(props.mailFrom.replace(/^.*</, '').replace(/>.*$/, '').trim()) });
    }
    // Webhook secrets are sealed with a key of their own: the API and the console may seal new ones,
    // the delivery function alone may open them; the table and its backups hold only ciphertext.
    const webhookKey = new kms.Key(this, 'WebhookSecretKey', {
      description: 'Seals webhook signing secrets; only the delivery function may decrypt',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bindings = new Bindings({
      webhookKey,
      eventBus,
      deliveryStateMachineArn: this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: deliveryStateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      replayStateMachineArn: this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: replayStateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      staff,
      attachments,
      table,
      apiKeys: { checkout: checkoutKey, finance: financeKey },
      linkKey,
      stateMachineArn: this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      stateMachineName,
      mailFrom: props.mailFrom,
      ...(props.sellerProfile ? { sellerProfile: props.sellerProfile } : {}),
      publicBaseUrl: props.publicBaseUrl ?? api.url,
    });

    // Workflow tasks: one function per task, from three bundles that carry only what their tasks
    // use, each bound to only what those tasks need.
    const taskFunctions = Object.fromEntries(
      (Object.keys(taskDescriptions) as WorkflowTask[]).map((task) => {
        const group = taskGroups[task];
        const fn = new PoFunction(this, `Task${task[0]!.toUpperCase()}${task.slice(1)}`, {
          entry: `functions/tasks/${group}.ts`,
          handler: task,
          description: taskDescriptions[task],
          timeout: Duration.seconds(60),
          fonts: group === 'documents',
        });
        bindings.bind(fn, taskBindings[task] ?? groupBindings[group]);
        if (task === 'notify' && props.peppolAccessPoint) {
          // Notify hands issued documents to the access point: its URL, and reading its token.
          fn.addEnvironment(envNames.peppolAccessPointUrl, props.peppolAccessPoint.url);
          fn.addEnvironment(envNames.peppolAccessPointTokenSecret, props.peppolAccessPoint.tokenSecretArn);
          fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.peppolAccessPoint.tokenSecretArn] }));
        }
        return [task, fn];
      }),
    ) as Record<WorkflowTask, PoFunction>;

    const workflow = new PurchaseOrderWorkflow(this, 'Workflow', { functions: taskFunctions });
    const stateMachine = standardMachine(this, 'StateMachine', {
      name: stateMachineName,
      definition: workflow.definition,
      comment: 'One execution per purchase order',
      retention: logs.RetentionDays.THREE_MONTHS,
      invokes: Object.values(taskFunctions),
    });

    const { deliveries: deliveryMachine, replays: replayMachine } = webhookMachines(this, bindings, { deliveries: deliveryStateMachineName, replays: replayStateMachineName });

    // The reconciler: every five minutes, wakes the workflows whose PO changed while the signal to
    // them was lost (a crash or a throttle between the write and SendTaskSuccess).
    const reconciler = new PoFunction(this, 'Reconciler', {
      entry: 'functions/tasks/lifecycle.ts',
      handler: 'reconcile',
      description: 'Wake every workflow parked on a PO that changed after it parked (a lost signal)',
      timeout: Duration.minutes(2),
    });
    bindings.bind(reconciler, ['readTable', 'updateItems', 'writePurchaseOrders', 'signalWorkflow']);
    const scheduleRole = new iam.Role(this, 'ReconcileScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'Lets EventBridge Scheduler run the reconciler',
    });
    new scheduler.Schedule(this, 'ReconcileSchedule', {
      description: 'Wake workflows whose signal was lost',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(5)),
      // A missed run is made up by the next one: no retries to pile up.
      target: new schedulerTargets.LambdaInvoke(reconciler, { retryAttempts: 0, role: scheduleRole }),
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(reconciler.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: 'Invoking the reconciler includes its versions and aliases (function ARN with :*); the role may invoke nothing else.',
    });

    addAlarms(this, { machines: { workflow: stateMachine, deliveries: deliveryMachine, replays: replayMachine }, ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}) });
    // Callers are authenticated against the stored keys; the handlers then check the role per route.
    const authorizerFn = new PoFunction(this, 'Authorizer', {
      entry: 'functions/api/authorizer.ts',
      description: 'Authenticate systems by their stored keys and staff by their ID tokens',
      timeout: Duration.seconds(10),
    });
    bindings.bind(authorizerFn, ['apiKeys', 'staffTokens', 'readStaff', 'readPolicy']);
    const authorizer = new apigateway.RequestAuthorizer(this, 'KeyAuthorizer', {
      handler: authorizerFn,
      identitySources: [apigateway.IdentitySource.header('Authorization')],
      // A person disabled or moved in the directory loses the old access within this minute.
      resultsCacheTtl: Duration.minutes(1),
    });

    // One function per group of routes; API Gateway may invoke it for any of its methods (one
    // permission per function, not one per method).
    const integrations = Object.fromEntries(
      apiGroups.map((group) => {
        const { entry, description, bindings: uses } = apiFunctions[group];
        const fn = new PoFunction(this, group, { entry, description });
        bindings.bind(fn, uses);
        return [group, new apigateway.LambdaIntegration(fn, { scopePermissionToMethod: false })];
      }),
    ) as Record<ApiGroup, apigateway.LambdaIntegration>;
    for (const route of routes) {
      const integration = integrations[route.group];
      for (const path of [route.path, ...(route.alsoAt ?? [])]) {
        const method = api.root.resourceForPath(path).addMethod(route.method, integration, {
          ...(route.public ? {} : { authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM }),
          ...(route.body ? { requestValidator: validator, requestModels: { 'application/json': modelFor(api, route.id, route.body) } } : {}),
        });
        acknowledge(method, {
          ...(route.public
            ? { 'AwsSolutions-APIG4': 'A reviewer link carries its own credential (an opaque id and a 256-bit secret); the console checks its session cookie (a staff ID token) itself.' }
            : {}),
          'AwsSolutions-COG4':
            "One Lambda authorizer accepts both the systems' stored keys and staff ID tokens from the user pool (verified with aws-jwt-verify); reviewers use their link, the console its session.",
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'CheckoutKeySecret', { value: checkoutKey.secretName });
    new CfnOutput(this, 'FinanceKeySecret', { value: financeKey.secretName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName });
  }
}
