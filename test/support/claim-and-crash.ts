import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoNumberSeries } from '../../functions/adapters/dynamo/numbers.js';

/**
 * Claims a number (series invoice, the given year) for a PO and dies hard (SIGKILL) at the point named on the command line:
 * `after-taking` (the series moved, the PO does not know its number yet) or `after-claim` (the PO
 * holds its number, the document was never written).
 */
const [endpoint, table, poId, point, year] = process.argv.slice(2) as [string, string, string, string, string];
const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);
const die = () => process.kill(process.pid, 'SIGKILL');
const series = new DynamoNumberSeries(db, table, point === 'after-taking' ? die : () => {});
await series.claim('invoice', Number(year), poId);
if (point === 'after-claim') die();
