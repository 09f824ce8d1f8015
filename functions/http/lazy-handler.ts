/**
 * Builds a handler on its first invocation, so importing a handler module (in a test, or at a cold
 * start that fails early) never reaches for the environment before it is needed.
 */
export function lazyHandler<E, R>(build: () => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return (event: E) => (built ??= build())(event);
}
