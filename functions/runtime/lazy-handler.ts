import type { Context } from 'aws-lambda';
import { logger, publishDynamoUsage, tracer } from './observability.js';

/** The PO an invocation is about: a task's input, or the `{id}` of a route under /purchase-orders/{id}. */
function poIdOf(event: unknown): string | undefined {
  const e = event as { poId?: unknown; resource?: unknown; pathParameters?: Record<string, unknown> | null } | null;
  if (typeof e?.poId === 'string') return e.poId;
  if (typeof e?.resource === 'string' && e.resource.startsWith('/purchase-orders/{id}') && typeof e.pathParameters?.id === 'string') return e.pathParameters.id;
  return undefined;
}

/**
 * Builds a handler on its first invocation, so importing a handler module (in a test, or at a cold
 * start that fails early) never reaches for the environment before it is needed. Around every
 * invocation: the logger takes the Lambda context and the PO's id, the tracer (where on) opens a
 * subsegment for it, and the DynamoDB requests it made go out as metrics.
 */
export function lazyHandler<E, R>(build: () => (event: E) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return async (event: E, context?: Context) => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    const poId = poIdOf(event);
    if (poId) logger.appendKeys({ poId });
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${context?.functionName ?? 'handler'}`);
    if (subsegment) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      if (poId) tracer.putAnnotation('poId', poId);
    }
    try {
      return await (built ??= build())(event);
    } catch (error) {
      if (subsegment && error instanceof Error) subsegment.addError(error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      publishDynamoUsage(context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local');
    }
  };
}
