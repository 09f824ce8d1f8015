import { lazyHandler } from '../runtime/lazy-handler.js';
import { serve, type GroupHandlers } from '../http/routing.js';
import { makeConsoleHandler } from '../console/handler.js';
import type { ConsoleDeps } from '../console/router.js';
import { newId, systemClock } from '../wiring/clock.js';
import { deliveries, eventStores, replays, webhookBox } from '../wiring/events.js';
import { files } from '../wiring/files.js';
import { addressRules } from '../wiring/addresses.js';
import { staffDirectory, staffSignIn, staffTokens } from '../wiring/staff.js';
import { stores } from '../wiring/stores.js';
import { workflow } from '../wiring/workflow.js';

/** The back office's function (functions/console/): its adapters, wired once per container. */
export const makeRoutes = (deps: ConsoleDeps): GroupHandlers<'Console'> => ({ Console: makeConsoleHandler(deps) });

export const handler = lazyHandler(() => {
  const { pos, search, documents, policies, idempotency, numbers } = stores();
  return serve('Console', makeRoutes({
    pos,
    search,
    documents,
    policies,
    idempotency,
    numbers,
    newId,
    workflow: workflow(),
    clock: systemClock,
    staff: staffTokens,
    signIn: staffSignIn,
    directory: staffDirectory,
    files: files(),
    ...eventStores(),
    deliveries: deliveries(),
    addresses: addressRules(),
    box: webhookBox(),
    replays: replays(),
  }));
});
