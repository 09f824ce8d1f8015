import { ulid } from 'ulid';
import { documentClient, secretsClient, sesClient, sfnClient } from './adapters/aws-clients.js';
import {
  DynamoDocumentStore,
  DynamoIdempotencyStore,
  DynamoNumberSeries,
  DynamoPolicyStore,
  DynamoPurchaseOrderStore,
  DynamoReviewStore,
  DynamoSentEmails,
} from './adapters/dynamo-store.js';
import { SesMailer } from './adapters/mailer.js';
import { SecretsManagerSecrets } from './adapters/secrets.js';
import { StepFunctionsWorkflow } from './adapters/workflow-client.js';
import type { Clock, Workflow } from './app/ports.js';
import { envNames, requireEnv } from './config/env.js';
import { parseSellerProfile } from './domain/seller.js';

/**
 * Real adapters, built from the function's environment. Each function builds only what it uses, once
 * per instance (at module load, through `lazy`), and hands it to its handler.
 */
export const systemClock: Clock = { now: () => new Date() };

const table = () => requireEnv(envNames.table);

export const stores = () => {
  const db = documentClient();
  return {
    pos: new DynamoPurchaseOrderStore(db, table()),
    idempotency: new DynamoIdempotencyStore(db, table()),
    reviews: new DynamoReviewStore(db, table()),
    numbers: new DynamoNumberSeries(db, table()),
    documents: new DynamoDocumentStore(db, table()),
    policies: new DynamoPolicyStore(db, table()),
  };
};

export const workflow = (): Workflow => new StepFunctionsWorkflow(sfnClient(), requireEnv(envNames.stateMachineArn));

/** A workflow port for functions that only release waits (they never start executions). */
export const signalOnlyWorkflow = (): Workflow => new StepFunctionsWorkflow(sfnClient(), 'not-used-for-signals');

export const secrets = () => {
  const optional = (name: string) => process.env[name] || undefined;
  return new SecretsManagerSecrets(secretsClient(), {
    checkout: optional(envNames.checkoutKeySecret),
    finance: optional(envNames.financeKeySecret),
    linkSigning: optional(envNames.linkSigningSecret),
  });
};

export const mailer = () =>
  new SesMailer(sesClient(), new DynamoSentEmails(documentClient(), table()), requireEnv(envNames.mailFrom), systemClock.now);

export const seller = () => parseSellerProfile(process.env[envNames.sellerProfile]);

export const publicBaseUrl = () => requireEnv(envNames.publicBaseUrl);

export const newId = () => ulid();
