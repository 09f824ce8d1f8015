import { takeDynamoRequests, usageLine } from '../adapters/usage.js';

/**
 * Builds a handler on its first invocation, so importing a handler module (in a test, or at a cold
 * start that fails early) never reaches for the environment before it is needed. After each
 * invocation, the DynamoDB requests it made are reported as one metrics log line.
 */
export function lazyHandler<E, R>(build: () => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return async (event: E) => {
    try {
      return await (built ??= build())(event);
    } finally {
      const requests = takeDynamoRequests();
      if (Object.keys(requests).length > 0) console.log(usageLine(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local', requests));
    }
  };
}
