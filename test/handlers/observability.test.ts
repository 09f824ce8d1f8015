import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import AWSXRay, { Segment, type Subsegment } from 'aws-xray-sdk-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDynamoDb } from '../support/dynamodb.js';

/**
 * What a function tells CloudWatch and X-Ray (Powertools): each log line carries the Lambda request
 * id, the cold-start flag, the trace id and the PO; each invocation is a subsegment holding one
 * subsegment per AWS SDK call; the DynamoDB requests go out as EMF metrics. Lambda's environment is
 * set before the modules load, as it is on Lambda (the tracer turns itself on from it).
 */
const traceId = '1-5759e988-bd862e3fe1be46a994272793';
const context = (name: string, requestId: string) => ({ functionName: name, awsRequestId: requestId, functionVersion: '$LATEST', invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`, memoryLimitInMB: '512' }) as unknown as Context;
let db: Awaited<ReturnType<typeof startDynamoDb>>;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await startDynamoDb();
  vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`);
  vi.stubEnv('AWS_XRAY_CONTEXT_MISSING', 'IGNORE_ERROR');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.endpoint);
  vi.stubEnv('TABLE_NAME', db.table);
  vi.stubEnv('ATTACHMENTS_BUCKET', 'files');
  vi.resetModules();
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n').filter((l) => l.startsWith('{'))) lines.push(JSON.parse(line) as Record<string, unknown>);
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await db.stop();
});

describe('observability', () => {
  it('logs with the Lambda request id, the cold-start flag, the trace id and the PO, and redacts secrets', async () => {
    const { lazyHandler } = await import('../../functions/runtime/lazy-handler.js');
    const { log } = await import('../../functions/runtime/log.js');
    const handler = lazyHandler(() => async (event: { poId: string; token: string }) => log.info('task', { token: event.token }));
    for (const [poId, requestId] of [['PO-1', 'req-1'], ['PO-2', 'req-2']] as const) {
      await AWSXRay.getNamespace().runPromise(async () => {
        AWSXRay.setSegment(new Segment('TaskNotify', traceId));
        await handler({ poId, token: 'secret-token' }, context('TaskNotify', requestId));
      });
    }
    const logged = lines.filter((line) => line.message === 'task');
    expect(logged[0]).toMatchObject({ level: 'INFO', function_request_id: 'req-1', cold_start: true, xray_trace_id: traceId, poId: 'PO-1', token: '[redacted]', service: 'purchase-orders' });
    expect(logged[1]).toMatchObject({ function_request_id: 'req-2', cold_start: false, poId: 'PO-2' });
  });

  it('traces an API invocation as a subsegment with every DynamoDB call inside it, and counts the calls as metrics', async () => {
    const { handler } = await import('../../functions/api/reads.js');
    // What Lambda does for a traced function: a segment for the invocation, current in its context.
    const facade = new Segment('Reads', traceId);
    const event = {
      httpMethod: 'GET',
      resource: '/purchase-orders/{id}',
      path: '/purchase-orders/PO-NONE',
      pathParameters: { id: 'PO-NONE' },
      headers: {},
      requestContext: { authorizer: { role: 'finance', keyName: 'finance' } },
    } as unknown as APIGatewayProxyEvent;
    const answer = await AWSXRay.getNamespace().runPromise(async () => {
      AWSXRay.setSegment(facade);
      return handler(event, context('Reads', 'req-3'));
    });
    expect(answer.statusCode).toBe(404);
    const invocation = (facade.subsegments ?? []).find((s) => s.name === '## Reads') as Subsegment | undefined;
    expect(invocation, 'a subsegment for the invocation').toBeDefined();
    const calls = (invocation!.subsegments ?? []) as (Subsegment & { aws?: { operation?: string } })[];
    expect(calls.map((call) => [call.name, call.aws?.operation])).toEqual([['DynamoDB', 'GetItem']]);
    // Annotated with the PO (searchable in X-Ray) and whether the container was cold (the first test's invocation was).
    expect((invocation as Subsegment & { annotations?: Record<string, unknown> }).annotations).toMatchObject({ ColdStart: false, poId: 'PO-NONE', Service: 'purchase-orders' });
    const metric = lines.find((line) => 'DynamoDBReads' in line && line.function === 'Reads');
    expect(metric).toMatchObject({ DynamoDBReads: 1, DynamoDBWrites: 0, dynamodb: { GetItem: 1 } });
  });
});
