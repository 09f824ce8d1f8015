import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import type { StaffSignIn } from '../adapters/staff-sign-in.js';
import type { StaffTokenVerifier } from '../adapters/staff-tokens.js';
import { changePurchaseOrder, type ChangeDeps } from '../app/change.js';
import { attachmentUrl } from '../app/attachments.js';
import type { DeliveryStarter, DocumentStore, EventStore, FileStore, PolicyStore, WebhookStore } from '../app/ports.js';
import { createEndpoint, endpointView, redeliver, replay, rotateSecret, updateEndpoint } from '../app/webhooks.js';
import { NotFoundError } from '../app/errors.js';
import { eventTypes } from '../../contract/events.js';
import { staffRole, type StaffDirectory } from '../app/staff.js';
import { ReferenceConflict, RuleViolation, TransitionError } from '../domain/errors.js';
import { creditAccount } from '../domain/credit.js';
import { parseMajor, toDecimalString } from '../domain/money.js';
import { agingTotals, csvField, receivables } from '../domain/receivables.js';
import { allowedActions, type Action, type PurchaseOrder } from '../domain/purchase-order/index.js';
import { type Status, type Who } from '../../contract/purchase-order.js';
import { bodies } from '../../contract/bodies.js';
import { consoleBase, header, HttpProblem, rawBody } from '../http/http.js';
import { publicRouteHandler, serve } from '../http/routing.js';
import { lazyHandler } from '../http/lazy-handler.js';
import { log } from '../http/log.js';
import {
  bucketLabel,
  consoleCss,
  customerPage,
  messagePage,
  poPage,
  newPasswordPage,
  policyPage,
  staffPage,
  queuePage,
  webhookPage,
  webhooksPage,
  receivablesPage,
  searchPage,
  signInPage,
  type Page,
  type Queue,
  type Session,
} from '../templates/console.js';
import { systemClock } from '../wiring/clock.js';
import { files } from '../wiring/files.js';
import { staffDirectory, staffSignIn, staffTokens } from '../wiring/staff.js';
import { stores } from '../wiring/stores.js';
import { deliveries, eventStores } from '../wiring/events.js';
import { workflow } from '../wiring/workflow.js';
import { resumeWorkflow } from '../app/resume.js';
import { fieldsToPolicy, policyToFields } from '../console/policy-form.js';
import { actionOf } from './actions.js';

/**
 * The back office, served by the API under /console: pages rendered here, no client app. People sign
 * in with their email and password (the staff user pool); the session is their ID token in a cookie
 * scripts cannot read, checked on every request as the API's authorizer checks it; every form carries
 * a CSRF token derived from the session. Actions go through the same use case and the same domain
 * table as the API, so the console offers exactly what the person's role may do in the PO's status.
 */
export interface ConsoleDeps extends ChangeDeps {
  documents: DocumentStore;
  policies: PolicyStore;
  staff: () => StaffTokenVerifier;
  signIn: () => StaffSignIn;
  directory: () => StaffDirectory;
  files: FileStore;
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStarter;
}

const SESSION = 'po_session';
const SIGN_IN = 'po_signin';

const securityHeaders = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

interface Queued extends Queue {
  statuses: Status[];
  /** Within those statuses, only POs with something left to ship. */
  toShip?: boolean;
  /** POs whose workflow stopped at a failed step, whatever their status. */
  attention?: boolean;
  roles: Session['role'][];
}

const queueDefinitions: Omit<Queued, 'count'>[] = [
  { id: 'needs-attention', label: 'Needs attention', statuses: [], attention: true, roles: ['finance'] },
  { id: 'to-review', label: 'To review', statuses: ['awaiting_review'], roles: ['finance', 'reviewer'] },
  { id: 'payments-to-verify', label: 'Payments to verify', statuses: ['payment_submitted'], roles: ['finance'] },
  { id: 'disputes', label: 'Disputes', statuses: ['disputed'], roles: ['finance'] },
  { id: 'awaiting-payment', label: 'Awaiting payment', statuses: ['awaiting_payment'], roles: ['finance'] },
  { id: 'overdue', label: 'Overdue', statuses: ['overdue'], roles: ['finance'] },
  { id: 'to-ship', label: 'To ship', statuses: ['ordered', 'deferred', 'overdue'], toShip: true, roles: ['finance'] },
];

const unshipped = (po: PurchaseOrder) => po.shippingOrders.some((order) => order.status !== 'delivered');

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function cookies(event: APIGatewayProxyEvent): Record<string, string> {
  const raw = header(event, 'cookie') ?? '';
  return Object.fromEntries(
    raw
      .split(';')
      .map((part) => part.trim().split('='))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0]!.length > 0)
      .map(([name, value]) => [name, decodeURIComponent(value)]),
  );
}

export const makeHandler = (deps: ConsoleDeps) =>
  publicRouteHandler('Console', async (event) => {
    const base = consoleBase(event);
    const secure = (header(event, 'x-forwarded-proto') ?? '') === 'https';
    const cookie = (name: string, value: string, maxAge: number) =>
      `${name}=${encodeURIComponent(value)}; Path=${base}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
    const respond = (status: number, body: string, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
      statusCode: status,
      headers: { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders, ...headers },
      body,
    });
    const redirect = (to: string, headers: Record<string, string> = {}) => ({ statusCode: 303, headers: { ...securityHeaders, Location: to, ...headers }, body: '' });
    const path = event.path.replace(/^\/console/, '') || '/';
    const method = event.httpMethod;

    if (method === 'GET' && path === '/assets/console.css') {
      return { statusCode: 200, headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }, body: consoleCss };
    }

    const form = () => {
      if ((header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
        throw new HttpProblem(415, 'Unsupported Media Type', 'send the form as application/x-www-form-urlencoded');
      }
      return Object.fromEntries(new URLSearchParams(rawBody(event)));
    };

    // Signing in: a wrong email and a wrong password get the same answer.
    const signInForm = (status: number, error?: string, email?: string) => {
      const token = randomBytes(24).toString('base64url');
      return respond(status, signInPage(base, { csrf: token, ...(error ? { error } : {}), ...(email ? { email } : {}) }), { 'Set-Cookie': cookie(SIGN_IN, token, 900) });
    };
    if (path === '/sign-in' && method === 'POST') {
      const fields = form();
      const expected = cookies(event)[SIGN_IN];
      if (!expected || !fields.csrf || !sameText(fields.csrf, expected)) return signInForm(403, 'The sign-in form expired. Please try again.');
      const email = (fields.email ?? '').trim();
      const result = email && fields.password ? await deps.signIn().signIn(email, fields.password) : ({ ok: false, reason: 'wrong' } as const);
      if (!result.ok && result.reason === 'new_password_required') {
        const token = randomBytes(24).toString('base64url');
        return respond(200, newPasswordPage(base, { csrf: token, email }), { 'Set-Cookie': cookie(SIGN_IN, token, 900) });
      }
      // A disabled person is refused like a wrong password (the local Cognito would let them in).
      if (!result.ok || !(await deps.directory().isEnabled(email))) {
        log.warn('console sign-in refused', { reason: result.ok ? 'disabled' : result.reason });
        return signInForm(401, 'The email or the password is not right.', email);
      }
      return redirect(base, { 'Set-Cookie': cookie(SESSION, result.idToken, result.expiresInSeconds) });
    }
    if (path === '/new-password' && method === 'POST') {
      const fields = form();
      const expected = cookies(event)[SIGN_IN];
      if (!expected || !fields.csrf || !sameText(fields.csrf, expected)) return signInForm(403, 'The form expired. Please sign in again.');
      const again = (error: string) => respond(400, newPasswordPage(base, { csrf: expected, email: fields.email ?? '', error }));
      if ((fields.password ?? '').length < 12) return again('Choose a password of at least 12 characters.');
      if (fields.password !== fields.repeat) return again('The two new passwords are not the same.');
      let idToken: string | null = null;
      try {
        idToken = await deps.directory().completeNewPassword((fields.email ?? '').trim(), fields.current ?? '', fields.password!);
      } catch (error) {
        log.warn('new password refused', { reason: error instanceof Error ? error.name : String(error) });
      }
      if (!idToken) return again('The email or the temporary password is not right, or the new password is not allowed.');
      return redirect(base, { 'Set-Cookie': cookie(SESSION, idToken, 3600) });
    }

    // Everything else needs a session: a valid ID token of a person with a staff group.
    const token = cookies(event)[SESSION];
    let person: { sub: string; email: string; role: 'finance' | 'reviewer' } | null = null;
    if (token) {
      try {
        const verified = await deps.staff().verify(token);
        const role = staffRole(verified.groups);
        if (role) person = { sub: verified.sub, email: verified.email, role };
      } catch {
        person = null; // expired or not ours: sign in again
      }
    }
    if (!person) {
      if (method === 'GET') return signInForm(path === '/' ? 200 : 401);
      return signInForm(401, 'Your session has ended. Please sign in again.');
    }
    const session: Session = { email: person.email, role: person.role, csrf: digest(`csrf:${token}`) };
    const by: Who = { type: 'person', id: person.sub, email: person.email };

    const queues = async (): Promise<Queue[]> =>
      Promise.all(
        queueDefinitions
          .filter((queue) => queue.roles.includes(session.role))
          .map(async (queue) => ({
            id: queue.id,
            label: queue.label,
            count: queue.attention ? (await deps.pos.needingAttention(100)).length : queue.toShip ? (await toShip()).length : await deps.pos.countByStatus(queue.statuses[0]!),
          })),
      );
    const toShip = async () =>
      (await Promise.all((['ordered', 'deferred', 'overdue'] as const).map(allInStatus)))
        .flat()
        .filter(unshipped)
        .sort((a, b) => (`${b.createdAt}#${b.id}` > `${a.createdAt}#${a.id}` ? 1 : -1));
    const allInStatus = async (status: Status): Promise<PurchaseOrder[]> => {
      const all: PurchaseOrder[] = [];
      let cursor: string | undefined;
      do {
        const listed = await deps.pos.listByStatus(status, 100, cursor);
        all.push(...listed.items);
        cursor = listed.cursor ?? undefined;
      } while (cursor && all.length < 10_000);
      return all;
    };
    const page = async (current?: string): Promise<Page> => ({ base, title: '', session, queues: await queues(), ...(current ? { current } : {}) });

    if (method === 'POST') {
      const raw = rawBody(event);
      const fields = form();
      if (!fields.csrf || !sameText(fields.csrf, session.csrf)) {
        return respond(403, messagePage({ base, title: 'Form expired', session }, 'Form expired', 'This form was not sent from this session. Go back, reload the page and try again.'));
      }
      if (path === '/sign-out') return redirect(base, { 'Set-Cookie': cookie(SESSION, '', 0) });
      const staffChange = /^\/staff\/(invite|group|enable|disable)$/.exec(path);
      if (staffChange && session.role === 'finance') return manageStaff(staffChange[1]!, fields);
      if (path === '/policy' && session.role === 'finance') {
        const offlineTypes = new URLSearchParams(raw).getAll('offlineType');
        const result = fieldsToPolicy(fields, offlineTypes);
        if (!result.policy) return respond(400, policyPage(await page('policy'), { ...fields, offlineTypes: offlineTypes.join(',') }, result.errors, false));
        await deps.policies.put(result.policy);
        log.info('policy changed in the console', { by: person.sub });
        return redirect(`${base}/policy?saved=1`);
      }
      const action = /^\/po\/([A-Za-z0-9_-]{1,64})\/actions\/(.+)$/.exec(path);
      if (action) return act(action[1]!, action[2]!, fields);
      if (session.role === 'finance' && path === '/webhooks/create') return addWebhook(fields, new URLSearchParams(raw).getAll('events'));
      const webhookChange = /^\/webhooks\/(we_[0-9a-f]{16})\/(enable|disable|rotate|delete|replay|deliveries\/([A-Za-z0-9_-]{1,100})\/redeliver)$/.exec(path);
      if (session.role === 'finance' && webhookChange) return changeWebhook(webhookChange[1]!, webhookChange[2]!, webhookChange[3], fields);
      return respond(404, messagePage({ base, title: 'Not found', session }, 'Not found', 'There is nothing at this address.'));
    }

    if (path === '/' || path === '/queues') return redirect(`${base}/queues/to-review`);
    const queueMatch = /^\/queues\/([a-z-]+)$/.exec(path);
    if (queueMatch) {
      const definition = queueDefinitions.find((queue) => queue.id === queueMatch[1] && queue.roles.includes(session.role));
      if (!definition) return respond(404, messagePage(await page(), 'Not found', 'There is no such queue.'));
      const p = await page(definition.id);
      const queue = p.queues!.find((q) => q.id === definition.id)!;
      if (definition.toShip) return respond(200, queuePage(p, queue, await toShip(), null));
      if (definition.attention) return respond(200, queuePage(p, queue, await deps.pos.needingAttention(100), null));
      const next = event.queryStringParameters?.next;
      let listed;
      try {
        listed = await deps.pos.listByStatus(definition.statuses[0]!, 25, next && /^[A-Za-z0-9_-]{1,2048}$/.test(next) ? next : undefined);
      } catch {
        listed = await deps.pos.listByStatus(definition.statuses[0]!, 25);
      }
      return respond(200, queuePage(p, queue, listed.items, listed.cursor));
    }
    if (session.role === 'finance' && (path === '/receivables' || path === '/receivables.csv')) {
      const open: PurchaseOrder[] = [];
      for (const status of ['ordered', 'overdue', 'deferred'] as const) open.push(...(await allInStatus(status)));
      const today = deps.clock.now();
      const rows = receivables(open, today);
      if (path === '/receivables') return respond(200, receivablesPage(await page('receivables'), rows, agingTotals(rows), today.toISOString().slice(0, 10)));
      const lines = [
        ['Invoice', 'Reference', 'Company', 'Customer id', 'Currency', 'Due date', 'Days past due', 'Age', 'Outstanding'],
        ...rows.map((row) => [row.invoice, row.po.reference, row.po.customer.company, row.po.customer.id, row.po.currency, row.dueDate ?? '', row.daysPastDue, bucketLabel(row.bucket), toDecimalString(row.outstanding, row.po.currency)]),
      ];
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="receivables-${today.toISOString().slice(0, 10)}.csv"`, ...securityHeaders },
        body: `${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`,
      };
    }
    if (path === '/policy' && session.role === 'finance') {
      return respond(200, policyPage(await page('policy'), policyToFields(await deps.policies.get()), {}, event.queryStringParameters?.saved === '1'));
    }
    const customer = /^\/customers\/([^/]{1,600})$/.exec(path);
    if (customer) {
      let id: string;
      try {
        id = decodeURIComponent(customer[1]!);
      } catch {
        return respond(404, messagePage(await page(), 'Not found', 'There is no such customer.'));
      }
      const [open, policy] = await Promise.all([deps.pos.openForCustomer(id), deps.policies.get()]);
      return respond(200, customerPage(await page(), creditAccount(id, open, policy), open[0]?.customer.company ?? null));
    }
    if (path === '/staff' && session.role === 'finance') return respond(200, staffPage(await page('staff'), await deps.directory().list()));
    if (path === '/webhooks' && session.role === 'finance') return showWebhooks(200);
    const webhook = /^\/webhooks\/(we_[0-9a-f]{16})$/.exec(path);
    if (webhook && session.role === 'finance') return showWebhook(webhook[1]!);
    if (path === '/search') {
      const query = (event.queryStringParameters?.q ?? '').trim().slice(0, 200);
      const found = query.length >= 2 ? await deps.pos.search(query, 50) : [];
      const p = await page();
      if (found.length === 1 && found[0]!.reference.toLowerCase() === query.toLowerCase()) return redirect(`${base}/po/${found[0]!.id}`);
      return respond(200, searchPage(p, query, found));
    }
    const document = /^\/po\/([A-Za-z0-9_-]{1,64})\/documents\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (document) {
      const po = (await deps.pos.get(document[1]!))?.po;
      const stored = po?.documents.some((doc) => doc.id === document[2]) ? await deps.documents.get(po.id, document[2]!) : null;
      if (!stored) return respond(404, messagePage(await page(), 'Not found', 'There is no such document.'));
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${stored.number}.pdf"`, 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
        isBase64Encoded: true,
        body: Buffer.from(stored.pdf).toString('base64'),
      };
    }
    const attachment = /^\/po\/([A-Za-z0-9_-]{1,64})\/attachments\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (attachment) {
      const po = (await deps.pos.get(attachment[1]!))?.po;
      if (!po || !(po.attachments ?? []).some((a) => a.id === attachment[2])) return respond(404, messagePage(await page(), 'Not found', 'There is no such file.'));
      return redirect(await attachmentUrl(deps, po, attachment[2]!));
    }
    const poMatch = /^\/po\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (poMatch) {
      const po = (await deps.pos.get(poMatch[1]!))?.po;
      if (!po) return respond(404, messagePage(await page(), 'Not found', 'There is no such purchase order.'));
      return respond(200, poPage(await page(), po, allowedActions(po, session.role)));
    }
    return respond(404, messagePage(await page(), 'Not found', 'There is nothing at this address.'));

    async function showWebhooks(status: number, notice?: { text: string; secret?: string }, problem?: string): Promise<APIGatewayProxyResult> {
      const now = deps.clock.now();
      return respond(status, webhooksPage(await page('webhooks'), (await deps.webhooks.list()).map((endpoint) => endpointView(endpoint, now)), eventTypes, notice, problem));
    }

    async function showWebhook(id: string, notice?: { text: string; secret?: string }): Promise<APIGatewayProxyResult> {
      const endpoint = await deps.webhooks.get(id);
      if (!endpoint) return respond(404, messagePage(await page('webhooks'), 'Not found', 'There is no such webhook endpoint.'));
      const log = await deps.webhooks.deliveries(id, 50);
      return respond(200, webhookPage(await page('webhooks'), endpointView(endpoint, deps.clock.now()), log.items, notice));
    }

    /** Finance adds an endpoint: the same rules as the API; the secret is shown on the page that answers, once. */
    async function addWebhook(fields: Record<string, string>, events: string[]): Promise<APIGatewayProxyResult> {
      const parsed = bodies.webhookEndpoint.safeParse({ url: (fields.url ?? '').trim(), events, ...(fields.description?.trim() ? { description: fields.description.trim() } : {}) });
      if (!parsed.success) return showWebhooks(400, undefined, `Not added: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'form'} ${issue.message}`).join('; ')}.`);
      const { endpoint, secret } = await createEndpoint(deps, parsed.data);
      log.info('webhook endpoint added in the console', { by: person!.sub, endpoint: endpoint.id });
      return showWebhooks(201, { text: `Added ${endpoint.url}.`, secret });
    }

    async function changeWebhook(id: string, change: string, deliveryId: string | undefined, fields: Record<string, string>): Promise<APIGatewayProxyResult> {
      try {
        if (change === 'enable' || change === 'disable') {
          await updateEndpoint(deps, id, { status: change === 'enable' ? 'enabled' : 'disabled' }, by);
          return redirect(`${base}/webhooks/${id}`);
        }
        if (change === 'rotate') {
          const { secret } = await rotateSecret(deps, id);
          return showWebhook(id, { text: 'A new signing secret signs from now on.', secret });
        }
        if (change === 'delete') {
          await deps.webhooks.remove(id);
          return showWebhooks(200, { text: 'Endpoint deleted. Deliveries in flight stop at their next attempt.' });
        }
        if (change === 'replay') {
          // The form's local date and time is taken as UTC, as every time in the console is shown.
          const since = new Date(`${fields.since ?? ''}${/Z$/.test(fields.since ?? '') ? '' : 'Z'}`);
          if (Number.isNaN(since.getTime()) || since > deps.clock.now()) return showWebhook(id, { text: 'Replay: choose a time in the past.' });
          const result = await replay(deps, id, since);
          return showWebhook(id, { text: `Replaying ${result.replayed} event(s) published since ${since.toISOString().slice(0, 16).replace('T', ' ')}${result.more ? '; there are more: replay again from the last one' : ''}.` });
        }
        await redeliver(deps, id, deliveryId!);
        return showWebhook(id, { text: 'Sent again.' });
      } catch (error) {
        if (error instanceof NotFoundError) return respond(404, messagePage(await page('webhooks'), 'Not found', 'There is no such webhook endpoint or delivery.'));
        throw error;
      }
    }

    /** Finance invites people, sets their group, disables and enables them (not themselves). */
    async function manageStaff(change: string, fields: Record<string, string>): Promise<APIGatewayProxyResult> {
      const email = (fields.email ?? '').trim().toLowerCase();
      const group = fields.group === 'finance' || fields.group === 'reviewer' ? fields.group : null;
      const show = async (status: number, notice?: { text: string; password?: string }, problem?: string) =>
        respond(status, staffPage(await page('staff'), await deps.directory().list(), notice, problem));
      if (!z.email().safeParse(email).success) return show(400, undefined, 'Enter the email address of the person.');
      if (email === person!.email.toLowerCase()) return show(409, undefined, 'You cannot change your own access; ask another finance member.');
      try {
        if (change === 'invite') {
          if (!group) return show(400, undefined, 'Choose a group.');
          const password = `${randomBytes(12).toString('base64url')}`;
          await deps.directory().invite(email, group, password);
          log.info('staff invited', { by: person!.sub, group });
          return show(201, { text: `${email} is invited as ${group}.`, password });
        }
        if (change === 'group') {
          if (!group) return show(400, undefined, 'Choose a group.');
          await deps.directory().setGroup(email, group);
          return show(200, { text: `${email} is now in ${group}.` });
        }
        await deps.directory().setEnabled(email, change === 'enable');
        return show(200, { text: `${email} is ${change === 'enable' ? 'enabled' : 'disabled'}.` });
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'UsernameExistsException') return show(409, undefined, `${email} has an account already.`);
        if (name === 'UserNotFoundException') return show(404, undefined, `There is no account for ${email}.`);
        throw error;
      }
    }

    /** One action from a PO's page: the same validation, use case and domain table as the API. */
    async function act(id: string, name: string, fields: Record<string, string>): Promise<APIGatewayProxyResult> {
      const po = (await deps.pos.get(id))?.po;
      if (!po) return respond(404, messagePage(await page(), 'Not found', 'There is no such purchase order.'));
      const note = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);
      const refuse = async (status: number, problem: string, current = po) => respond(status, poPage(await page(), current, allowedActions(current, session.role), problem));
      let action: Action;
      try {
        action = await actionFor(po, name, fields, note, deps.policies);
      } catch (error) {
        if (error instanceof z.ZodError) return refuse(400, error.issues.map((issue) => `${issue.path.join('.') || 'form'}: ${issue.message}`).join('; '));
        if (error instanceof RuleViolation) return refuse(422, error.message);
        throw error;
      }
      try {
        if (action.type === 'resume') await resumeWorkflow(deps, id, { actor: session.role, by });
        else await changePurchaseOrder(deps, id, action, { actor: session.role, by, at: deps.clock.now() });
      } catch (error) {
        if (error instanceof TransitionError || error instanceof RuleViolation || error instanceof ReferenceConflict) {
          const current = (await deps.pos.get(id))?.po ?? po;
          return refuse(error instanceof RuleViolation ? 422 : 409, `Not done: ${error.message}.`, current);
        }
        throw error;
      }
      return redirect(`${base}/po/${id}`);
    }
  });

async function actionFor(
  po: PurchaseOrder,
  name: string,
  fields: Record<string, string>,
  note: (value: string | undefined) => string | undefined,
  policies: PolicyStore,
): Promise<Action> {
  const optional = <T extends object>(body: T, key: string, value: string | undefined) => (value === undefined ? body : { ...body, [key]: value });
  switch (name) {
    case 'approve':
    case 'reject':
      return actionOf.review(bodies.review.parse(optional({ decision: name }, 'comment', note(fields.comment))));
    case 'record-payment': {
      const amount = parseMajor(fields.amount ?? '', po.currency);
      if (amount === null || amount <= 0) throw new RuleViolation(`enter the amount in ${po.currency} as printed, for example 297.00`, 'amount_format');
      return actionOf.recordPayment(bodies.payment.parse({ amount, reference: fields.reference ?? '' }));
    }
    case 'accept-payment':
      return actionOf.verifyPayment(bodies.verification.parse({ decision: 'accept' }));
    case 'reject-payment':
      return actionOf.verifyPayment(bodies.verification.parse(optional({ decision: 'reject' }, 'reason', note(fields.reason))));
    case 'resolve-dispute':
      return actionOf.resolveDispute(bodies.resolve.parse(optional({ outcome: fields.outcome }, 'reason', note(fields.reason))));
    case 'dispute':
      return actionOf.dispute(bodies.reason.parse(optional({}, 'reason', note(fields.reason))));
    case 'cancel':
      return actionOf.cancel(bodies.reason.parse(optional({}, 'reason', note(fields.reason))));
    case 'convert':
      return actionOf.convert(bodies.convert.parse({}), policies);
    case 'resume':
      return { type: 'resume' };
    default: {
      const ship = /^ship\/([A-Za-z0-9_-]{1,32})\/(shipped|delivered)$/.exec(name);
      if (ship) return actionOf.updateShipping(bodies.shipping.parse({ status: ship[2] }), ship[1]!);
      throw new RuleViolation(`there is no action “${name}”`, 'unknown_action');
    }
  }
}

export const handler = serve('Console', { Console: lazyHandler(() => {
  const { pos, documents, policies } = stores();
  return makeHandler({
    pos,
    documents,
    policies,
    workflow: workflow(),
    clock: systemClock,
    staff: staffTokens,
    signIn: staffSignIn,
    directory: staffDirectory,
    files: files(),
    ...eventStores(),
    deliveries: deliveries(),
  });
}) });
