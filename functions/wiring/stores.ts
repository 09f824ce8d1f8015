import { documentClient } from '../adapters/aws-clients.js';
import { DynamoDocumentStore } from '../adapters/dynamo/documents.js';
import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency.js';
import { DynamoNumberSeries } from '../adapters/dynamo/numbers.js';
import { DynamoPolicyStore } from '../adapters/dynamo/policy.js';
import { DynamoPurchaseOrderStore } from '../adapters/dynamo/purchase-orders.js';
import { DynamoReviewStore } from '../adapters/dynamo/reviews.js';
import { DynamoTermSearch } from '../adapters/dynamo/search.js';
import { envNames, requireEnv } from '../runtime/env.js';

/** The table's stores, built from the function's environment. */
export const tableName = () => requireEnv(envNames.table);

export const stores = () => {
  const db = documentClient();
  const table = tableName();
  return {
    pos: new DynamoPurchaseOrderStore(db, table),
    search: new DynamoTermSearch(db, table),
    idempotency: new DynamoIdempotencyStore(db, table),
    reviews: new DynamoReviewStore(db, table),
    numbers: new DynamoNumberSeries(db, table),
    documents: new DynamoDocumentStore(db, table),
    policies: new DynamoPolicyStore(db, table),
  };
};
