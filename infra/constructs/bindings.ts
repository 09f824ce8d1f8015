import { Stack, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from './acknowledge.js';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { envNames } from '../../functions/runtime/env.js';
import type { PoFunction } from './po-function.js';

/**
 * What a function may use, named once: each binding sets the environment variable the handler reads,
 * grants the role exactly that access, and acknowledges the one cdk-nag finding the grant implies,
 * so the three can never disagree.
 */
export type Binding =
  /** Read items and query the table and its indexes. */
  | 'readTable'
  /** Update items in place (every PO change, waits, review marks, number series). */
  | 'updateItems'
  /** Create items (POs, documents, emails sent, reviews, the policy). */
  | 'putItems'
  /** Scan the table (the back office's search). */
  | 'searchTable'
  /** Forget an Idempotency-Key whose request created nothing: a delete of IDEM# items only. */
  | 'releaseIdempotency'
  /**
   * Write POs with what each write keeps (counts, the customer's exposure and overdue count, what is
   * owed per due date, the PO's receivable and search terms, which a write may put or delete): only
   * under those partitions.
   */
  | 'writePurchaseOrders'
  | 'startWorkflow'
  | 'signalWorkflow'
  | 'restartWorkflow'
  | 'apiKeys'
  | 'linkKey'
  | 'sendEmail'
  | 'sellerProfile'
  | 'publicBaseUrl'
  /** Verify staff ID tokens (Cognito's public keys; no grant needed). */
  | 'staffTokens'
  /** Invite staff, set their group, disable and enable them. */
  | 'manageStaff'
  /** Read a person's standing in the staff directory (enabled, group): the authorizer, on each token it has not cached. */
  | 'readStaff'
  /** Read the seller's policy item only (the authorizer: whether reviewers need a second factor). */
  | 'readPolicy'
  /** Count a review link's wrong secrets and lock it: an update of review items only. */
  | 'recordLinkFailures'
  /** The attachments bucket: read (offer files), or read and write (receive and check them). */
  | 'readAttachments'
  | 'writeAttachments'
  /**
   * Receive a file through the function itself (the console's form for a scanned letter): put it
   * under uploads/*, keep it under po/* once checked, delete what fails the check. No other key.
   */
  | 'attachLetters'
  /** Copy issued documents to the files bucket (documents/*) and sign links to them. */
  | 'offerDocuments'
  /** Write large exports (exports/*) and offer them by presigned link: the receivables CSV. */
  | 'offerExports'
  /** Put events on the app's event bus. */
  | 'publishEvents'
  /** Start deliveries: executions of the webhook delivery state machine. */
  | 'startDeliveries'
  /** Delete webhook endpoints: a delete of the WEBHOOKS partition only. */
  | 'deleteWebhooks'
  /** Start replays: executions of the webhook replay state machine. */
  | 'startReplays'
  /** Seal new webhook secrets with the webhook key (kms:Encrypt, for signing secrets only). */
  | 'sealWebhookSecrets'
  /** Open sealed webhook secrets to sign deliveries (kms:Decrypt): the delivery function alone. */
  | 'openWebhookSecrets';

export interface BindableResources {
  table: dynamodb.TableV2;
  apiKeys: { checkout: secretsmanager.ISecret; finance: secretsmanager.ISecret };
  linkKey: secretsmanager.ISecret;
  /** By ARN string, not reference: the API's functions start and signal the state machine while its
   * tasks link back to the API, and references would make that a cycle. */
  stateMachineArn: string;
  stateMachineName: string;
  /** The SES-verified sender of every email. */
  mailFrom: string;
  sellerProfile?: string;
  publicBaseUrl: string;
  staff: { userPool: cognito.IUserPool; client: cognito.IUserPoolClient };
  attachments: s3.IBucket;
  eventBus: events.IEventBus;
  /** By ARN string, as the workflow's: its tasks start deliveries while the delivery machine invokes a function of its own. */
  deliveryStateMachineArn: string;
  /** The customer-managed key that seals webhook secrets. */
  webhookKey: kms.IKey;
  /** By ARN string, as the delivery machine's. */
  replayStateMachineArn: string;
}

export class Bindings {
  private readonly answerTokens: iam.PolicyStatement;
  private readonly startExecution: iam.PolicyStatement;
  private readonly sendEmail: iam.PolicyStatement;

  constructor(private readonly resources: BindableResources) {
    const arn = [resources.stateMachineArn];
    this.answerTokens = new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: arn });
    this.startExecution = new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: arn });
    // SES authorizes sending by the identity of the From address: the address itself or its domain.
    const sender = resources.mailFrom.replace(/^.*</, '').replace(/>.*$/, '').trim();
    const stack = Stack.of(resources.table);
    this.sendEmail = new iam.PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [sender, sender.split('@')[1]!].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
    });
  }

  bind(fn: PoFunction, bindings: readonly Binding[]): void {
    const r = this.resources;
    const env = (name: string, value: string) => fn.addEnvironment(name, value);
    /** cdk-nag's id of a wildcard grant on the attachments bucket's objects under `keys` (`*`, `exports/*`). */
    const bucketObjects = (keys: string) => `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(r.attachments.node.defaultChild as s3.CfnBucket)}.Arn>/${keys}]`;
    for (const binding of new Set(bindings)) {
      switch (binding) {
        case 'readTable':
        case 'updateItems':
        case 'putItems':
        case 'searchTable': {
          env(envNames.table, r.table.tableName);
          const actions = { readTable: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], updateItems: ['dynamodb:UpdateItem'], putItems: ['dynamodb:PutItem'], searchTable: ['dynamodb:Scan'] }[binding];
          fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [r.table.tableArn, `${r.table.tableArn}/index/*`] }));
          const stack = Stack.of(fn);
          Validations.of(fn.role!).acknowledge({
            id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(r.table.node.defaultChild as dynamodb.CfnGlobalTable)}.Arn>/index/*]`,
            reason: 'The table grant covers its indexes (byStatus, signalsOwed, needsAttention), which queues and the reconciler query.',
          });
          break;
        }
        case 'writePurchaseOrders':
          env(envNames.table, r.table.tableName);
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
              resources: [r.table.tableArn],
              conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PO#*', 'COUNTS', 'CUSTOMER#*', 'RECEIVABLES', 'MIGRATION'] } },
            }),
          );
          break;
        case 'releaseIdempotency':
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['dynamodb:DeleteItem'],
              resources: [r.table.tableArn],
              conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEM#*'] } },
            }),
          );
          break;
        case 'readPolicy':
          env(envNames.table, r.table.tableName);
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['dynamodb:GetItem'],
              resources: [r.table.tableArn],
              conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['POLICY'] } },
            }),
          );
          break;
        case 'recordLinkFailures':
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['dynamodb:UpdateItem'],
              resources: [r.table.tableArn],
              conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REVIEW#*'] } },
            }),
          );
          break;
        case 'startWorkflow':
          env(envNames.stateMachineArn, r.stateMachineArn);
          fn.addToRolePolicy(this.startExecution);
          break;
        case 'signalWorkflow':
          fn.addToRolePolicy(this.answerTokens);
          break;
        case 'restartWorkflow': {
          env(envNames.stateMachineArn, r.stateMachineArn);
          fn.addToRolePolicy(this.startExecution);
          const executions = `${r.stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
          fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }));
          acknowledge(fn.role!, {
            [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${r.stateMachineName}:*]`]:
              'Executions are named after their PO (restarts after it too); the wildcard covers this state machine’s executions only.',
          });
          break;
        }
        case 'apiKeys':
          env(envNames.checkoutKeySecret, r.apiKeys.checkout.secretArn);
          env(envNames.financeKeySecret, r.apiKeys.finance.secretArn);
          r.apiKeys.checkout.grantRead(fn);
          r.apiKeys.finance.grantRead(fn);
          break;
        case 'linkKey':
          env(envNames.linkSigningSecret, r.linkKey.secretArn);
          r.linkKey.grantRead(fn);
          break;
        case 'sendEmail':
          env(envNames.mailFrom, r.mailFrom);
          fn.addToRolePolicy(this.sendEmail);
          break;
        case 'sellerProfile':
          if (r.sellerProfile) env(envNames.sellerProfile, r.sellerProfile);
          break;
        case 'publicBaseUrl':
          env(envNames.publicBaseUrl, r.publicBaseUrl);
          break;
        case 'staffTokens':
          env(envNames.userPoolId, r.staff.userPool.userPoolId);
          env(envNames.userPoolClientId, r.staff.client.userPoolClientId);
          break;
        case 'readStaff':
          env(envNames.userPoolId, r.staff.userPool.userPoolId);
          env(envNames.userPoolClientId, r.staff.client.userPoolClientId);
          r.staff.userPool.grant(fn, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:ListUsers');
          break;
        case 'readAttachments':
        case 'writeAttachments':
          env(envNames.attachmentsBucket, r.attachments.bucketName);
          if (binding === 'readAttachments') r.attachments.grantRead(fn);
          else r.attachments.grantReadWrite(fn);
          acknowledge(fn.role!, {
            [bucketObjects('*')]:
              'Attachments are objects under the bucket (po/<id>/<attachment>); the grant covers that bucket only.',
            'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'The read grant of the attachments bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:GetObject*]': 'The read grant of the attachments bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:List*]': 'The read grant of the attachments bucket (S3 lists these actions by prefix).',
            ...(binding === 'writeAttachments'
              ? {
                  'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'A file that is not what it claims is deleted at once.',
                  'AwsSolutions-IAM5[Action::s3:Abort*]': 'The write grant of the attachments bucket (S3 lists these actions by prefix).',
                }
              : {}),
          });
          break;
        case 'attachLetters':
          env(envNames.attachmentsBucket, r.attachments.bucketName);
          r.attachments.grantPut(fn, 'uploads/*');
          r.attachments.grantPut(fn, 'po/*');
          r.attachments.grantDelete(fn, 'uploads/*');
          r.attachments.grantDelete(fn, 'po/*');
          acknowledge(fn.role!, {
            [bucketObjects('uploads/*')]: 'A file received by the console lands under uploads/ until it is checked; nothing else of the bucket.',
            [bucketObjects('po/*')]: 'A checked file is kept under po/<id>/<attachment> (a copy that differs from what was checked is deleted again).',
            'AwsSolutions-IAM5[Action::s3:Abort*]': 'The put grant of the bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'A file that is not what it claims is deleted at once.',
          });
          break;
        case 'offerExports':
          env(envNames.attachmentsBucket, r.attachments.bucketName);
          r.attachments.grantPut(fn, 'exports/*');
          r.attachments.grantRead(fn, 'exports/*');
          acknowledge(fn.role!, {
            [bucketObjects('exports/*')]: 'Large CSV exports (exports/<name>.csv), kept a day for their download links; nothing else of the bucket.',
          });
          break;
        case 'offerDocuments':
          env(envNames.attachmentsBucket, r.attachments.bucketName);
          r.attachments.grantPut(fn, 'documents/*');
          r.attachments.grantRead(fn, 'documents/*');
          acknowledge(fn.role!, {
            [bucketObjects('documents/*')]:
              "Copies of issued documents (documents/<po>/<doc>.pdf) for their download links; nothing else of the bucket.",
            'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'The read grant of the bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:GetObject*]': 'The read grant of the bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:List*]': 'The read grant of the bucket (S3 lists these actions by prefix).',
            'AwsSolutions-IAM5[Action::s3:Abort*]': 'The put grant of the bucket (S3 lists these actions by prefix).',
          });
          break;
        case 'publishEvents':
          env(envNames.eventBusName, r.eventBus.eventBusName);
          r.eventBus.grantPutEventsTo(fn);
          break;
        case 'startDeliveries':
          env(envNames.deliveryStateMachineArn, r.deliveryStateMachineArn);
          fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [r.deliveryStateMachineArn] }));
          break;
        case 'startReplays':
          env(envNames.replayStateMachineArn, r.replayStateMachineArn);
          fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [r.replayStateMachineArn] }));
          break;
        case 'sealWebhookSecrets':
        case 'openWebhookSecrets':
          env(envNames.webhookKeyArn, r.webhookKey.keyArn);
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: [binding === 'sealWebhookSecrets' ? 'kms:Encrypt' : 'kms:Decrypt'],
              resources: [r.webhookKey.keyArn],
              conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing' } },
            }),
          );
          break;
        case 'deleteWebhooks':
          env(envNames.table, r.table.tableName);
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['dynamodb:DeleteItem'],
              resources: [r.table.tableArn],
              conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['WEBHOOKS'] } },
            }),
          );
          break;
        case 'manageStaff':
          env(envNames.userPoolId, r.staff.userPool.userPoolId);
          r.staff.userPool.grant(
            fn,
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminAddUserToGroup',
            'cognito-idp:AdminRemoveUserFromGroup',
            'cognito-idp:AdminDisableUser',
            'cognito-idp:AdminEnableUser',
            'cognito-idp:AdminGetUser',
            'cognito-idp:AdminListGroupsForUser',
            'cognito-idp:AdminSetUserMFAPreference',
            'cognito-idp:ListUsers',
            'cognito-idp:ListUsersInGroup',
          );
          break;
      }
    }
  }
}
