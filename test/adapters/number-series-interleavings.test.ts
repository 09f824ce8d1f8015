import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoNumberSeries } from '../../functions/adapters/dynamo/numbers.js';

/**
 * The gapless series under every order of its reads and writes. Each call to the table is one
 * atomic step that fast-check's scheduler releases in an order of its choosing, so the property
 * covers interleavings that a run on the embedded DynamoDB would hit only by luck: several
 * containers claiming for several POs, and one PO's task run twice at once (a Step Functions retry
 * while the first run is still going).
 */

type Item = Record<string, unknown>;

/** A single-table stand-in that keeps DynamoDB's semantics for exactly the calls the series makes. */
class ScheduledTable {
  readonly items = new Map<string, Item>();
  constructor(private readonly schedule: (label: string) => Promise<unknown>) {}

  private static key(key: Item): string {
    return `${String(key.pk)}|${String(key.sk)}`;
  }

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<Record<string, unknown>> {
    const input = command.input;
    const kind = command.constructor.name;
    const target = ScheduledTable.key((input.Key ?? input.Item) as Item);
    await this.schedule(`${kind} ${target}`);
    const existing = this.items.get(target);
    const refuse = () => {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    };
    if (kind === 'GetCommand') return { Item: existing ? structuredClone(existing) : undefined };
    if (kind === 'PutCommand') {
      if (input.ConditionExpression !== 'attribute_not_exists(pk)') throw new Error(`unexpected condition ${String(input.ConditionExpression)}`);
      if (existing) refuse();
      this.items.set(target, structuredClone(input.Item as Item));
      return {};
    }
    if (kind === 'UpdateCommand') {
      const values = input.ExpressionAttributeValues as Item;
      if (input.UpdateExpression !== 'SET #last = :next, lastPo = :po') throw new Error(`unexpected update ${String(input.UpdateExpression)}`);
      const condition = String(input.ConditionExpression);
      if (condition === 'attribute_not_exists(#last)' ? existing?.last !== undefined : existing?.last !== values[':last']) refuse();
      this.items.set(target, { ...(input.Key as Item), ...existing, last: values[':next'], lastPo: values[':po'] });
      return {};
    }
    throw new Error(`unexpected command ${kind}`);
  }
}

const scenario = fc.record({
  containers: fc.integer({ min: 2, max: 4 }),
  // For each PO, the containers its task runs in: two or three entries mean duplicate runs.
  runs: fc.array(fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 4 }),
});

describe('number series under random interleavings', () => {
  it('gives every PO one number, whatever the order of claims, retries and duplicate runs, and leaves no gap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, { containers, runs }) => {
        const table = new ScheduledTable((label) => s.schedule(Promise.resolve(label), label));
        const db = table as unknown as DynamoDBDocumentClient;
        const instances = Array.from({ length: containers }, () => new DynamoNumberSeries(db, 'table', () => {}, async () => {}));
        const claims = runs.flatMap((where, po) => where.map((container) => ({ po: `PO-${po}`, container: container % containers })));
        const all = Promise.all(claims.map(({ po, container }) => instances[container]!.claim('invoice', 2026, po).then((number) => ({ po, number }))));
        const results = await s.waitFor(all);

        const byPo = new Map<string, Set<number>>();
        for (const { po, number } of results) byPo.set(po, (byPo.get(po) ?? new Set()).add(number));
        // One number per PO, however many runs claimed for it.
        for (const numbers of byPo.values()) expect(numbers.size).toBe(1);
        // Numbers 1..n, each once: no gap, no number twice.
        const numbers = [...byPo.values()].map((set) => [...set][0]!).sort((a, b) => a - b);
        expect(numbers).toEqual(runs.map((_, i) => i + 1));
        // The series and every PO's record agree with what the claims returned.
        expect(table.items.get('SERIES#invoice#2026|SERIES')?.last).toBe(runs.length);
        for (const [po, held] of byPo) expect(table.items.get(`PO#${po}|NUM#invoice#2026`)?.number).toBe([...held][0]);
      }),
      { numRuns: 300 },
    );
  });
});
