import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { envNames } from '../functions/config/env.js';
import { PurchaseOrderWorkflow, type WorkflowTask } from '../workflows/purchase-order-workflow.js';
import { PoFunction } from './constructs/po-function.js';
import { routes, type Grant } from './routes.js';

export interface PoStackProps extends StackProps {
  /** Where review links point; defaults to the API's own URL. */
  publicBaseUrl?: string;
  /** The SES-verified sender of every email. */
  mailFrom: string;
  /** JSON of the seller profile printed on documents (name, address, bank details). */
  sellerProfile?: string;
}

const taskDescriptions: Record<WorkflowTask, string> = {
  notify: 'Email the buyer and finance about each change of a PO',
  awaitReview: 'Email the review link and wait for the decision',
  expireReview: 'Cancel a PO whose review window closed',
  issueProforma: 'Issue and email the proforma invoice for prepayment',
  awaitChange: 'Wait for the next change of a PO (payment, delivery)',
  fulfil: 'Deliver, issue the invoice, email both',
  paymentCalendar: 'Reminders, overdue and automatic cancellation of an unpaid invoice',
  issueCreditNote: 'Issue and email the credit note of a cancelled invoice',
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
      ],
    });

    const generated = (id: string, description: string) =>
      new secretsmanager.Secret(this, id, {
        description,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const checkoutKey = generated('CheckoutKey', 'API key of the checkout role');
    const financeKey = generated('FinanceKey', 'API key of the finance role');
    const linkKey = generated('LinkSigningKey', 'Key that derives review link ids and hashes their secrets');

    const common = {
      [envNames.table]: table.tableName,
      [envNames.mailFrom]: props.mailFrom,
      ...(props.sellerProfile ? { [envNames.sellerProfile]: props.sellerProfile } : {}),
    };
    const sendEmail = new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
    });

    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'purchase-orders',
      description: 'Purchase-order workflow: checkout, reviewer links and finance',
      binaryMediaTypes: ['application/pdf'],
      deployOptions: { stageName: 'v1', tracingEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      cloudWatchRole: false,
    });
    const publicBaseUrl = props.publicBaseUrl ?? api.url;

    // Workflow tasks: one function per task, all from one bundle.
    const taskFunctions = Object.fromEntries(
      (Object.keys(taskDescriptions) as WorkflowTask[]).map((task) => {
        const fn = new PoFunction(this, `Task${task[0]!.toUpperCase()}${task.slice(1)}`, {
          entry: 'functions/tasks/index.ts',
          handler: task,
          description: taskDescriptions[task],
          timeout: Duration.seconds(60),
          environment: {
            ...common,
            [envNames.linkSigningSecret]: linkKey.secretArn,
            [envNames.publicBaseUrl]: publicBaseUrl,
          },
        });
        table.grantReadWriteData(fn);
        linkKey.grantRead(fn);
        fn.addToRolePolicy(sendEmail);
        return [task, fn];
      }),
    ) as Record<WorkflowTask, PoFunction>;

    const workflow = new PurchaseOrderWorkflow(this, 'Workflow', { functions: taskFunctions });
    // Named, so that the task functions may answer its tokens without a reference cycle.
    const stateMachineName = `${this.stackName}-purchase-orders`;
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(workflow.definition),
      tracingEnabled: true,
      comment: 'One execution per purchase order',
    });
    // Functions name the state machine by its ARN string, not by reference: the API's functions start
    // and signal it while its tasks link back to the API, and references would make that a cycle.
    const stateMachineArn = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const answerTokens = new iam.PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [stateMachineArn],
    });
    const startExecution = new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] });
    for (const fn of Object.values(taskFunctions)) fn.addToRolePolicy(answerTokens);

    const grant = (fn: PoFunction, grants: Grant[]) => {
      for (const g of grants) {
        if (g === 'readTable') table.grantReadData(fn);
        if (g === 'writeTable') table.grantReadWriteData(fn);
        if (g === 'startExecution') fn.addToRolePolicy(startExecution);
        if (g === 'signalWorkflow') fn.addToRolePolicy(answerTokens);
        if (g === 'apiKeys') {
          checkoutKey.grantRead(fn);
          financeKey.grantRead(fn);
        }
        if (g === 'linkKey') linkKey.grantRead(fn);
      }
    };

    for (const route of routes) {
      const fn = new PoFunction(this, route.id, {
        entry: route.entry,
        ...(route.handler ? { handler: route.handler } : {}),
        description: route.description,
        environment: {
          ...common,
          ...(route.grants.includes('startExecution') ? { [envNames.stateMachineArn]: stateMachineArn } : {}),
          ...(route.grants.includes('apiKeys')
            ? { [envNames.checkoutKeySecret]: checkoutKey.secretArn, [envNames.financeKeySecret]: financeKey.secretArn }
            : {}),
          ...(route.grants.includes('linkKey') ? { [envNames.linkSigningSecret]: linkKey.secretArn } : {}),
        },
      });
      grant(fn, route.grants);
      api.root.resourceForPath(route.path).addMethod(route.method, new apigateway.LambdaIntegration(fn));
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'CheckoutKeySecret', { value: checkoutKey.secretName });
    new CfnOutput(this, 'FinanceKeySecret', { value: financeKey.secretName });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
  }
}
