import type { APIGatewayProxyResult } from 'aws-lambda';
import { consoleBase } from '../http/http.js';
import { publicRouteHandler, type Handler } from '../http/routing.js';
import { orderEntryRoutes } from './order-entry.js';
import { policyRoutes } from './policy.js';
import { purchaseOrderRoutes } from './purchase-orders.js';
import { queueRoutes, queuesFor } from './queues.js';
import { findRoute, formFields, html, notFound, type ConsoleDeps, type ConsoleRequest } from './router.js';
import { csrfOf, personOf, sameText, signInForm, signInRoutes, signOut } from './session.js';
import { staffRoutes } from './staff.js';
import { messagePage, type Session } from './views/layout.js';
import { consoleCss } from './views/style.js';
import { webhookRoutes } from './webhooks.js';

/**
 * The back office, served by the API under /console: pages rendered here, no client app. People sign
 * in with their email and password (the staff user pool); every other page needs a session, and every
 * form its CSRF token. Actions go through the same use cases and the same domain table as the API, so
 * the console offers exactly what the person's role may do in the PO's status. Problems are the API's
 * (the same registry), shown on the page where they happened.
 */
const routes = [...queueRoutes, ...purchaseOrderRoutes, ...orderEntryRoutes, ...webhookRoutes, ...staffRoutes, ...policyRoutes];

export const makeConsoleHandler = (deps: ConsoleDeps): Handler =>
  publicRouteHandler('Console', async (event): Promise<APIGatewayProxyResult> => {
    const base = consoleBase(event);
    const path = event.path.replace(/^\/console/, '') || '/';
    const method = event.httpMethod;
    if (method === 'GET' && path === '/assets/console.css') {
      return { statusCode: 200, headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }, body: consoleCss };
    }
    const beforeSession = await signInRoutes(event, deps, base, path);
    if (beforeSession) return beforeSession;

    const person = await personOf(event, deps);
    if (!person) {
      if (method === 'GET') return signInForm(event, base, path === '/' ? 200 : 401);
      return signInForm(event, base, 401, 'Your session has ended. Please sign in again.');
    }
    const session: Session = { email: person.email, role: person.role, csrf: csrfOf(person) };
    const form = method === 'POST' ? formFields(event) : new URLSearchParams();
    const request: ConsoleRequest = {
      event,
      deps,
      base,
      session,
      by: { type: 'person', id: person.sub, email: person.email },
      page: async (current) => ({ base, title: '', session, queues: await queuesFor(deps.pos, session.role), ...(current ? { current } : {}) }),
      fields: Object.fromEntries(form),
      all: (name) => form.getAll(name),
    };
    if (method === 'POST') {
      const csrf = request.fields.csrf;
      if (!csrf || !sameText(csrf, session.csrf)) {
        return html(403, messagePage({ base, title: 'Form expired', session }, 'Form expired', 'This form was not sent from this session. Go back, reload the page and try again.'));
      }
      if (path === '/sign-out') return signOut(event, base);
    }
    const found = findRoute(routes, method, path, session.role);
    return found ? found.route.handle(request, found.params) : notFound(request);
  });
