import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventBus } from '../app/ports.js';
import type { PoEvent } from '../domain/events.js';

/** The source of every event the app puts on its bus, for the seller's rules to match. */
export const EVENT_SOURCE = 'purchase-orders';

/**
 * The app's EventBridge bus: each event as `detail-type` = its type and `detail` = its envelope.
 * PutEvents takes ten entries a call and may refuse some of them; those are a failure of the
 * publish, which the workflow retries (a retry puts the accepted ones again: rules see the event id
 * in the detail and dedupe, as webhook receivers do).
 */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async put(events: PoEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 10) {
      const batch = events.slice(start, start + 10);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({ EventBusName: this.busName, Source: EVENT_SOURCE, DetailType: event.type, Detail: JSON.stringify(event), Time: new Date(event.timestamp) })),
        }),
      );
      if (result.FailedEntryCount) {
        const failed = (result.Entries ?? []).find((entry) => entry.ErrorCode);
        throw Object.assign(new Error(`the event bus refused ${result.FailedEntryCount} event(s): ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`.trim()), { name: 'ServiceUnavailable' });
      }
    }
  }
}
