import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { attentionMetric, metricsNamespace, serviceName } from '../../contract/metrics.js';
import { takeDynamoRequests, takeReadUnits, writesAndReads } from './usage.js';

/**
 * What a function tells CloudWatch and X-Ray, through AWS Lambda Powertools: structured logs with
 * the Lambda request id, the cold-start flag, the trace id and the PO at hand; the DynamoDB
 * requests of each invocation as EMF metrics; and, where Lambda traces (active tracing on AWS),
 * a subsegment per invocation with every AWS SDK call inside it. Outside Lambda the tracer stays
 * off by itself (no AWS_EXECUTION_ENV), so the local stack needs no X-Ray daemon.
 */
export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });
const metrics = new Metrics({ namespace: metricsNamespace, serviceName });

/** The DynamoDB requests this invocation made, as one EMF line: writes, reads and read capacity units per function, and each operation's count. */
export function publishDynamoUsage(functionName: string): void {
  const requests = takeDynamoRequests();
  const readUnits = takeReadUnits();
  if (Object.keys(requests).length === 0) return;
  const { writes, reads } = writesAndReads(requests);
  metrics.addDimension('function', functionName);
  metrics.addMetric('DynamoDBWrites', MetricUnit.Count, writes);
  metrics.addMetric('DynamoDBReads', MetricUnit.Count, reads);
  metrics.addMetric('DynamoDBReadUnits', MetricUnit.Count, readUnits);
  // EMF metadata may be any JSON; Powertools types it as a string.
  metrics.addMetadata('dynamodb', requests as unknown as string);
  metrics.publishStoredMetrics();
}

/** One PO flagged as needing attention (a step that failed for good, an email SES would not send). */
export function countAttention(): void {
  metrics.addMetric(attentionMetric, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
