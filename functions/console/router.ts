import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Who } from '../../contract/purchase-order.js';
import type { StaffSignIn } from '../adapters/staff-sign-in.js';
import type { StaffTokenVerifier } from '../adapters/staff-tokens.js';
import type { ChangeDeps } from '../app/change.js';
import type { PlaceDeps } from '../app/place.js';
import type { AddressRules } from '../app/webhook-addresses.js';
import type { DeliveryStarter, DocumentStore, EventStore, FileStore, PolicyStore, ReplayStarter, SecretBox, WebhookStore, PoSearch } from '../app/ports.js';
import type { StaffDirectory } from '../app/staff.js';
import { pageHeaders } from '../http/headers.js';
import busboy from 'busboy';
import { header, HttpProblem, rawBody } from '../http/http.js';
import { messagePage, type Page, type Session } from './views/layout.js';

/**
 * The console's routing: each page or form is a route (method, path pattern, the roles that may use
 * it, a handler), listed by its page group (queues.ts, purchase-orders.ts, webhooks.ts, staff.ts,
 * policy.ts); a request that matches no route of the person's role is "Not found".
 */
export interface ConsoleDeps extends ChangeDeps, Pick<PlaceDeps, 'idempotency' | 'numbers' | 'newId'> {
  documents: DocumentStore;
  search: PoSearch;
  policies: PolicyStore;
  staff: () => StaffTokenVerifier;
  signIn: () => StaffSignIn;
  directory: () => StaffDirectory;
  files: FileStore;
  webhooks: WebhookStore;
  events: EventStore;
  deliveries: DeliveryStarter;
  /** Which hosts may receive webhooks. */
  addresses?: AddressRules;
  /** Seals new webhook secrets (the console may seal, never open). */
  box: Pick<SecretBox, 'seal'>;
  /** Starts webhook replays, in the background. */
  replays: ReplayStarter;
}

export type Role = Session['role'];

/** One signed-in request, with what every page needs to answer it. */
export interface ConsoleRequest {
  event: APIGatewayProxyEvent;
  deps: ConsoleDeps;
  /** Where the console lives on this host (`/console`, or `/<stage>/console`). */
  base: string;
  session: Session;
  /** The person, as every change they make names them. */
  by: Who & { type: 'person' };
  /** Their session at the user pool, and their second factor: set up, and whether their role requires one. */
  account: { access: string; mfa: boolean; required: boolean };
  /** The page frame: the layout's data with the queues this person sees. */
  page: (current?: string) => Promise<Page>;
  /** The posted form's fields (the last value of each), and every value of one field. */
  fields: Record<string, string>;
  all: (name: string) => string[];
  /** The file a form sent with it, if any. */
  file: PostedFile | null;
}

export interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: RegExp;
  roles: readonly Role[];
  handle: (request: ConsoleRequest, params: string[]) => Promise<APIGatewayProxyResult>;
}

export const both: readonly Role[] = ['finance', 'reviewer'];
export const finance: readonly Role[] = ['finance'];

export function html(status: number, body: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { ...pageHeaders, ...headers }, body };
}

export function redirect(to: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  const { 'Content-Type': _html, ...security } = pageHeaders;
  return { statusCode: 303, headers: { ...security, Location: to, ...headers }, body: '' };
}

export async function notFound(request: Pick<ConsoleRequest, 'page'>, message = 'There is nothing at this address.', current?: string): Promise<APIGatewayProxyResult> {
  return html(404, messagePage(await request.page(current), 'Not found', message));
}

/** An HTML form's fields (application/x-www-form-urlencoded); 415 for anything else. */
export function formFields(event: APIGatewayProxyEvent): URLSearchParams {
  if ((header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the form as application/x-www-form-urlencoded');
  }
  return new URLSearchParams(rawBody(event));
}

/** A file sent with a form (multipart/form-data): its bytes as sent, and what the browser said of it. */
export interface PostedFile {
  bytes: Uint8Array;
  contentType: string;
  filename: string | null;
  /** More was sent than the form takes: the bytes are cut at the limit. */
  truncated: boolean;
}

/** Fields a form may have besides its file, and how long each may be. */
const FORM_LIMITS = { fields: 50, fieldSize: 64 * 1024, files: 1, parts: 51 };

/**
 * An HTML form: its fields, and the one file of a form that sends one (multipart/form-data, read with
 * busboy; API Gateway hands it over base64, as a binary media type, and at most `maxFileBytes` are
 * kept); any other form as formFields reads it.
 */
export async function readForm(event: APIGatewayProxyEvent, maxFileBytes: number): Promise<{ fields: URLSearchParams; file: PostedFile | null }> {
  const contentType = header(event, 'content-type') ?? '';
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'multipart/form-data') return { fields: formFields(event), file: null };
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'binary');
  const fields = new URLSearchParams();
  let file: PostedFile | null = null;
  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { ...FORM_LIMITS, fileSize: maxFileBytes } });
    } catch {
      return reject(new HttpProblem(400, 'Bad Request', 'the form is not multipart/form-data with a boundary'));
    }
    parser.on('field', (name, value) => fields.append(name, value));
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => reject(new HttpProblem(400, 'Bad Request', 'the form was cut short')));
      stream.on('end', () => {
        file = { bytes: Buffer.concat(chunks), contentType: info.mimeType, filename: info.filename || null, truncated: (stream as unknown as { truncated?: boolean }).truncated === true };
      });
    });
    parser.on('error', () => reject(new HttpProblem(400, 'Bad Request', 'the form could not be read')));
    parser.on('close', () => resolve());
    parser.end(body);
  });
  return { fields, file };
}

/** The route for this request among the person's, and its path parameters. */
export function findRoute(routes: readonly ConsoleRoute[], method: string, path: string, role: Role): { route: ConsoleRoute; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method || !route.roles.includes(role)) continue;
    const match = route.path.exec(path);
    if (match) return { route, params: match.slice(1) };
  }
  return null;
}
