import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './table.js';
import type { NumberSeries } from '../../app/ports.js';

/**
 * Gapless numbering without transactions. The series item holds the last number and the PO that
 * claimed it. Before claiming the next number, a caller makes sure the previous claimer's number is
 * recorded on that PO (helping it if it crashed), so every number ends up with exactly one PO and a
 * retry by the same PO finds its number instead of taking another.
 */
export class DynamoNumberSeries implements NumberSeries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Fault injection for tests: runs right after a number is taken, before it is recorded on the PO. */
    private readonly afterTaking: (number: number) => void = () => {},
    /** How a claim waits before trying again after losing a number to another PO. */
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The claim of this instance in progress per series and year; the next one waits its turn. */
  private readonly turns = new Map<string, Promise<void>>();
  /** The last number this instance took and recorded, per series and year. */
  private readonly recorded = new Map<string, { poId: string; number: number }>();

  /**
   * Takes the next number of a gapless series for a PO, or the one it already holds. Claims from
   * one instance (one container) take turns: racing each other they would only fail each other's
   * conditional writes. Claims from other containers race, and the conditional write settles it.
   */
  async claim(series: string, year: number, poId: string): Promise<number> {
    const key = `${series}#${year}`;
    const previous = this.turns.get(key) ?? Promise.resolve();
    let done!: () => void;
    const gate = new Promise<void>((resolve) => (done = resolve));
    const mine = previous.then(() => gate);
    this.turns.set(key, mine);
    await previous;
    try {
      return await this.claimRacing(series, year, poId, key);
    } finally {
      done();
      if (this.turns.get(key) === mine) this.turns.delete(key);
    }
  }

  private async claimRacing(series: string, year: number, poId: string, key: string): Promise<number> {
    const seriesKey = { pk: `SERIES#${series}#${year}`, sk: 'SERIES' };
    for (let attempt = 0; attempt < 100; attempt += 1) {
      // The series first, then the PO's own claim, in this order: if this PO took a number before
      // the series read (another run of its task, still going), then either it is still the last
      // (lastPo says so) or whoever took the next one recorded it first, and the second read sees it.
      // Read the other way round, or at once, a duplicate run could miss both and take a second number.
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: seriesKey, ConsistentRead: true }));
      const held = await this.held(poId, series, year);
      if (held !== null) return held;
      const last = (Item?.last as number | undefined) ?? 0;
      const lastPo = Item?.lastPo as string | undefined;
      if (lastPo !== undefined) {
        // The PO that took the last number has normally recorded it already: this instance knows
        // when that PO was its own, a read says so otherwise, and only a PO that crashed in between
        // gets its number recorded by us (a write).
        const ownLast = this.recorded.get(key);
        const knownRecorded = ownLast?.poId === lastPo && ownLast.number === last;
        if (lastPo === poId || (!knownRecorded && (await this.held(lastPo, series, year)) === null)) await this.record(lastPo, series, year, last);
        if (lastPo === poId) return last;
      }
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: seriesKey,
            UpdateExpression: 'SET #last = :next, lastPo = :po',
            ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
            ExpressionAttributeNames: { '#last': 'last' },
            ExpressionAttributeValues: { ':next': last + 1, ':po': poId, ...(last === 0 ? {} : { ':last': last }) },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Another PO took this number: back off (full jitter) so that contenders spread out
        // instead of all re-reading and failing again.
        await this.pause(Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
        continue;
      }
      this.afterTaking(last + 1);
      await this.record(poId, series, year, last + 1);
      this.recorded.set(key, { poId, number: last + 1 });
      return last + 1;
    }
    throw new Error(`could not claim a ${series} number after 100 attempts`);
  }

  async next(series: string, year: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `COUNTER#${series}#${year}`, sk: 'COUNTER' },
        UpdateExpression: 'ADD #last :one',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.last);
  }

  private async held(poId: string, series: string, year: number): Promise<number | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `PO#${poId}`, sk: `NUM#${series}#${year}` }, ConsistentRead: true }),
    );
    return (Item?.number as number | undefined) ?? null;
  }

  /** Records the number a PO took; recording it twice is fine, a different number is a broken series. */
  private async record(poId: string, series: string, year: number, number: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `PO#${poId}`, sk: `NUM#${series}#${year}`, number },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const held = await this.held(poId, series, year);
      if (held !== number) throw new Error(`${series} ${year}: purchase order ${poId} holds number ${held}, not ${number}`);
    }
  }
}
