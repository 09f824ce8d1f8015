import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The single table. Every item has `pk` and `sk`; POs also carry `gsi1pk`/`gsi1sk` (status, newest
 * first) for finance's queues, and while a signal to their workflow is owed, `owedKey`/`owedSince`
 * (the sparse index `signalsOwed`, read by the reconciler), and while their workflow waits for
 * finance after a failed step, `attentionKey`/`attentionSince` (the sparse index `needsAttention`), and
 * while they are open (not rejected, completed or cancelled), `customerKey`/`customerSince` (the
 * sparse index `openByCustomer`: a customer's credit account), and what they add to their
 * customer's exposure (`exposure`). Every write that can race is a conditional write; a PO's write
 * that moves its customer's exposure is one transaction with that move (exposure.ts).
 *
 *   PO#<id>            PO                the purchase order (version, status, the parked task token, a signal owed)
 *   PO#<id>            DOC#<docId>       an issued document and its PDF
 *   PO#<id>            NUM#<series>      the number of a series this PO holds
 *   PO#<id>            EMAIL#<key>       an email that was sent (so a retry sends none)
 *   REVIEW#<reviewId>  REVIEW            a review link: nonce (not the secret), expiry, decided
 *   IDEM#<key>         IDEM              an Idempotency-Key of placement
 *   SERIES#<s>#<year>  SERIES            the last number of a gapless series and the PO that claimed it
 *   COUNTER#<s>#<year> COUNTER           the last number of a series that may have gaps (PO references)
 *   POLICY             POLICY            the seller's policy
 *   CUSTOMER#<id>      EXPOSURE#<ccy>    what the customer owes on open POs in that currency
 *   CUSTOMER#<id>      OVERDUE           how many of the customer's POs are overdue
 *   COUNTS             SHARD#<n>         POs per open status, to ship, needing attention (aggregates.ts)
 *   RECEIVABLES        DUE#<date>#<ccy>  what is owed on open invoices due that day
 *   PO#<id>            RECEIVABLE        the PO's invoice is owed on (the list of receivables)
 *   PO#<id>            TERM#<term>       a search term of the PO (the lists index, search.ts)
 *   MIGRATION          <name>            a sweep over older items is done (openByCustomer, exposure, kept)
 */

export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

export const poKey = (id: string) => ({ pk: `PO#${id}`, sk: 'PO' });

/** A store of items in the single table, through the document client. */
export abstract class TableStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
  ) {}
}

/** A projection of these fields of the stored PO (`po.<path>`), every name a placeholder: some are reserved words. */
export function poProjection(fields: string[]): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const paths = fields.map((path) => `po.${path}`.split('.'));
  const names = [...new Set(paths.flat())];
  const placeholder = (name: string) => `#p${names.indexOf(name)}`;
  return {
    ProjectionExpression: paths.map((path) => path.map(placeholder).join('.')).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [placeholder(name), name])),
  };
}
