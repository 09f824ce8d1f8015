import { Duration, type Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WebhookDelivery } from '../../workflows/webhook-delivery.js';
import { WebhookReplay } from '../../workflows/webhook-replay.js';
import type { Bindings } from './bindings.js';
import { PoFunction } from './po-function.js';
import { standardMachine } from './state-machine.js';

/**
 * Webhooks' two state machines and their functions: deliveries, one execution per (event,
 * endpoint), retrying on their schedule for about a day and a half; and replays, one execution per
 * replay, a page of events at a time. Only the delivery function may open the sealed secrets.
 */
export function webhookMachines(stack: Stack, bindings: Bindings, names: { deliveries: string; replays: string }): { deliveries: sfn.StateMachine; replays: sfn.StateMachine } {
  const deliverFn = new PoFunction(stack, 'DeliverWebhook', {
    entry: 'functions/tasks/webhooks.ts',
    handler: 'deliver',
    description: 'Deliver an event to a webhook endpoint, signed; record the attempt; disable an endpoint that is gone or failing for days',
    timeout: Duration.seconds(30),
  });
  bindings.bind(deliverFn, ['readTable', 'putItems', 'sendEmail', 'sellerProfile', 'openWebhookSecrets']);
  const deliveries = standardMachine(stack, 'DeliveryStateMachine', {
    name: names.deliveries,
    definition: new WebhookDelivery(stack, 'WebhookDelivery', { deliver: deliverFn }).definition,
    comment: 'One execution per delivery of an event to a webhook endpoint',
    retention: logs.RetentionDays.ONE_MONTH,
    invokes: [deliverFn],
  });

  const replayFn = new PoFunction(stack, 'ReplayWebhooks', {
    entry: 'functions/tasks/webhooks.ts',
    handler: 'replay',
    description: 'Replay a page of events to a webhook endpoint: start their deliveries, say where the next page goes on',
    timeout: Duration.minutes(1),
  });
  bindings.bind(replayFn, ['readTable', 'startDeliveries']);
  const replays = standardMachine(stack, 'ReplayStateMachine', {
    name: names.replays,
    definition: new WebhookReplay(stack, 'WebhookReplay', { replayPage: replayFn }).definition,
    comment: "One execution per replay of a webhook endpoint's events",
    retention: logs.RetentionDays.ONE_MONTH,
    invokes: [replayFn],
  });
  return { deliveries, replays };
}
