import { addressRules } from './addresses.js';
import { eventBridgeClient, documentClient, kmsClient, sfnClient } from '../adapters/aws-clients.js';
import { kmsBox } from '../adapters/kms-box.js';
import { StepFunctionsStarter } from '../adapters/delivery-starter.js';
import { DynamoEventStore, DynamoWebhookStore } from '../adapters/dynamo/events.js';
import { EventBridgeBus } from '../adapters/event-bus.js';
import { HttpWebhookSender } from '../adapters/webhook-sender.js';
import type { PublishDeps } from '../app/webhooks.js';
import { envNames, requireEnv } from '../runtime/env.js';
import { systemClock } from './clock.js';
import { tableName } from './stores.js';

/** The event feed and the webhook endpoints, in the table. */
export const eventStores = () => ({ events: new DynamoEventStore(documentClient(), tableName()), webhooks: new DynamoWebhookStore(documentClient(), tableName()) });

/** Starts deliveries: executions of the delivery state machine. */
export const deliveries = () => new StepFunctionsStarter(sfnClient(), requireEnv(envNames.deliveryStateMachineArn), { attempt: 0 });

/** Starts replays: executions of the replay state machine. */
export const replays = () => new StepFunctionsStarter(sfnClient(), requireEnv(envNames.replayStateMachineArn), { cursor: null, replayed: 0 });

/** Everything Notify publishes to: the feed, the bus, the endpoints' deliveries. */
export const publishing = (): PublishDeps => ({
  ...eventStores(),
  bus: new EventBridgeBus(eventBridgeClient(), requireEnv(envNames.eventBusName)),
  deliveries: deliveries(),
  clock: systemClock,
});

export const webhookSender = () => new HttpWebhookSender(addressRules());

/** Webhook secrets, sealed with the webhook key (this function's role may seal, or open, not both unless granted). */
export const webhookBox = () => kmsBox(kmsClient(), requireEnv(envNames.webhookKeyArn));
