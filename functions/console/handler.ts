import type { APIGatewayProxyResult } from 'aws-lambda';
import { consoleBase } from '../http/http.js';
import { publicRouteHandler, type Handler } from '../http/routing.js';
import { orderEntryRoutes } from './order-entry.js';
import { policyRoutes } from './policy.js';
import { purchaseOrderRoutes } from './purchase-orders.js';
import { queueRoutes, queuesFor } from './queues.js';
import { securityRoutes } from './security.js';
import { MAX_DIRECT_UPLOAD_BYTES } from '../domain/attachments.js';
import { findRoute, html, notFound, readForm, redirect, type ConsoleDeps, type ConsoleRequest } from './router.js';
import { csrfOf, personOf, sameText, sessionCookies, signInForm, signInRoutes, signOut } from './session.js';
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
const routes = [...securityRoutes, ...queueRoutes, ...purchaseOrderRoutes, ...orderEntryRoutes, ...webhookRoutes, ...staffRoutes, ...policyRoutes];

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

    let person = await personOf(event, deps);
    if (!person) {
      if (method === 'GET') return signInForm(event, base, path === '/' ? 200 : 401);
      return signInForm(event, base, 401, 'Your session has ended. Please sign in again.');
    }
    // A role that must sign in with a second factor does nothing else until it has one (read afresh,
    // in case it was set up a moment ago through another container).
    const required = person.role === 'finance' || (await deps.policies.get()).mfaForReviewers;
    if (required && !person.mfa) person = (await personOf(event, deps, true)) ?? person;
    const session: Session = { email: person.email, role: person.role, csrf: csrfOf(person) };
    const blocked = required && !person.mfa;
    const { fields: form, file } = method === 'POST' ? await readForm(event, MAX_DIRECT_UPLOAD_BYTES) : { fields: new URLSearchParams(), file: null };
    const request: ConsoleRequest = {
      event,
      deps,
      base,
      session,
      by: { type: 'person', id: person.sub, email: person.email },
      account: { access: person.access, mfa: person.mfa, required },
      // Until the second factor is set up there is nowhere else to go: no queues, no menu.
      page: async (current) => ({ base, title: '', session, ...(blocked ? {} : { queues: await queuesFor(deps.pos, session.role) }), ...(current ? { current } : {}) }),
      fields: Object.fromEntries(form),
      all: (name) => form.getAll(name),
      file,
    };
    if (method === 'POST') {
      const csrf = request.fields.csrf;
      if (!csrf || !sameText(csrf, session.csrf)) {
        return html(403, messagePage({ base, title: 'Form expired', session }, 'Form expired', 'This form was not sent from this session. Go back, reload the page and try again.'));
      }
      if (path === '/sign-out') return signOut(event, deps, base, person);
    }
    if (blocked && !/^\/security(\/authenticator)?$/.test(path)) {
      if (method === 'GET') return redirect(`${base}/security`);
      return html(403, messagePage({ base, title: 'Set up two-step sign-in', session }, 'Set up two-step sign-in', 'Your role signs in with a code from an authenticator app. Set one up first.'));
    }
    const found = findRoute(routes, method, path, session.role);
    const answer = await (found ? found.route.handle(request, found.params) : notFound(request));
    if (!person.renewed) return answer;
    // The session's tokens were renewed on the way: the answer carries them.
    const renewed = sessionCookies(event, base, person.renewed);
    return { ...answer, multiValueHeaders: { ...answer.multiValueHeaders, 'Set-Cookie': [...((answer.multiValueHeaders?.['Set-Cookie'] as string[] | undefined) ?? []), ...renewed] } };
  });
