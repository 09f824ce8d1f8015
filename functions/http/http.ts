import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod';
import { ConcurrentUpdateError, FileTooLargeError, IdempotencyKeyReusedError, InvalidCursorError, NotFoundError, RequestInFlightError, UnsupportedFileError } from '../app/errors.js';
import { MoneyOverflowError, ReferenceConflict, RuleViolation, TransitionError } from '../domain/errors.js';
import type { Actor, Who } from '../../contract/purchase-order.js';
import { apiHeaders } from './headers.js';
import { log } from '../runtime/log.js';

/** HTTP edges: RFC 9457 problems, body parsing with limits, bearer-key roles, error mapping. */

export const MAX_BODY_BYTES = 256 * 1024;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}


export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': 'application/json', ...apiHeaders, ...headers }, body: JSON.stringify(body) };
}

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): APIGatewayProxyResult {
  const type = `https://po-workflow.example/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return {
    statusCode: status,
    headers: { 'Content-Type': 'application/problem+json', ...apiHeaders },
    body: JSON.stringify({ type, title, status, detail, ...extra }),
  };
}

export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function rawBody(event: APIGatewayProxyEvent): string {
  const body = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpProblem(413, 'Payload Too Large', `the body must not exceed ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

function mediaType(event: APIGatewayProxyEvent): string {
  return (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function zodErrors(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpProblem(400, 'Bad Request', 'the request body is not valid', { errors: zodErrors(result.error) });
  }
  return result.data;
}

/** Parses a JSON body against a schema: 415 for another media type, 413 when too large, 400 when invalid. */
export function parseJson<T extends z.ZodType>(event: APIGatewayProxyEvent, schema: T): { value: z.infer<T>; raw: string } {
  if (mediaType(event) !== 'application/json') {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/json');
  }
  const raw = rawBody(event);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpProblem(400, 'Bad Request', 'the body is not valid JSON');
  }
  return { value: validate(schema, parsed), raw };
}

/** Parses an HTML form post or a JSON body (the review page posts a form; scripts may send JSON). */
export function parseFormOrJson<T extends z.ZodType>(event: APIGatewayProxyEvent, schema: T): z.infer<T> {
  const type = mediaType(event);
  if (type === 'application/x-www-form-urlencoded') {
    return validate(schema, Object.fromEntries(new URLSearchParams(rawBody(event))));
  }
  if (type === 'application/json') return parseJson(event, schema).value;
  throw new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/x-www-form-urlencoded or application/json');
}

/** Where the back office lives on this host: behind an API Gateway stage, its paths start with /<stage>. */
export function consoleBase(event: APIGatewayProxyEvent): string {
  const stagePath = event.requestContext?.path ?? event.path;
  return `${stagePath.endsWith(event.path) ? stagePath.slice(0, stagePath.length - event.path.length) : ''}/console`;
}

export function pathParam(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value || value.length > 128 || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new HttpProblem(404, 'Not Found', `no resource with ${name} ${JSON.stringify(value ?? '')}`);
  }
  return value;
}

/** The `limit` query parameter of a paged list: a whole number from 1 to `max`, `fallback` when absent; else 400. */
export function queryLimit(event: APIGatewayProxyEvent, max: number, fallback: number): number {
  const raw = event.queryStringParameters?.limit;
  if (raw === undefined || raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new HttpProblem(400, 'Bad Request', `limit must be a whole number from 1 to ${max}`, { errors: [{ path: 'limit', message: `must be 1 to ${max}` }] });
  }
  return limit;
}

import type { CallerRole } from '../../contract/routes.js';

/** Who calls: the role and the person or key. */
export interface Caller {
  actor: Actor;
  by: Who;
}

/** What the API's authorizer tells the function about the caller (API Gateway passes its context). */
export interface AuthorizerContext {
  role?: unknown;
  /** The API key's name, for a system calling with a key. */
  keyName?: unknown;
  /** A signed-in person: their user id and email. */
  personId?: unknown;
  email?: unknown;
}

/**
 * The caller, as the API's authorizer established it: its role and who it is. 401 without one, 403
 * for a role this route does not allow.
 */
export function authorize(event: APIGatewayProxyEvent, allowed: readonly CallerRole[]): Caller {
  const context = (event.requestContext?.authorizer ?? {}) as AuthorizerContext;
  const role = context.role;
  if (role !== 'checkout' && role !== 'finance' && role !== 'reviewer') {
    throw new HttpProblem(401, 'Unauthorized', 'send a valid API key or staff ID token as Authorization: Bearer <…>');
  }
  const person = typeof context.personId === 'string' && typeof context.email === 'string';
  if (!allowed.includes(role)) throw new HttpProblem(403, 'Forbidden', `the ${role} ${person ? 'role' : 'key'} may not call this route`);
  if (person) return { actor: role, by: { type: 'person', id: context.personId as string, email: context.email as string } };
  if (role === 'reviewer') throw new HttpProblem(401, 'Unauthorized', 'reviewers sign in as people');
  return { actor: role, by: { type: 'key', name: typeof context.keyName === 'string' ? context.keyName : role } };
}

/** The contract's problem for what a use case throws; null for anything unexpected (a fault of ours). */
export function problemOf(error: unknown): { status: number; title: string; detail: string; extra: Record<string, unknown> } | null {
  const p = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({ status, title, detail, extra });
  if (error instanceof HttpProblem) return p(error.status, error.title, error.message, error.extra);
  if (error instanceof TransitionError) return p(409, 'Conflict', error.message, { currentStatus: error.status });
  if (error instanceof ReferenceConflict) return p(409, 'Conflict', error.message, { rule: 'reference_conflict', recordedAmount: error.recordedAmount });
  if (error instanceof RuleViolation) return p(422, 'Unprocessable Content', error.message, { rule: error.rule });
  if (error instanceof UnsupportedFileError) return p(415, 'Unsupported Media Type', error.message);
  if (error instanceof FileTooLargeError) return p(413, 'Payload Too Large', error.message);
  if (error instanceof MoneyOverflowError) return p(422, 'Unprocessable Content', 'an amount is too large to be represented exactly', { rule: 'amount_overflow' });
  if (error instanceof NotFoundError) return p(404, 'Not Found', error.message);
  if (error instanceof InvalidCursorError) return p(400, 'Bad Request', error.message);
  if (error instanceof IdempotencyKeyReusedError) return p(422, 'Unprocessable Content', error.message);
  if (error instanceof RequestInFlightError) return p(409, 'Conflict', error.message);
  // Others kept changing the same record through every retry: nothing was written; worth trying again.
  if (error instanceof ConcurrentUpdateError) return p(409, 'Conflict', `${error.message}: nothing was changed; read it and try again`);
  if (error instanceof z.ZodError) return p(400, 'Bad Request', 'the request is not valid', { errors: zodErrors(error) });
  return null;
}

/** Maps what a use case throws to the contract's problems; anything unexpected is a logged 500. */
export function withProblems(name: string, fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      return await fn(event);
    } catch (error) {
      const known = problemOf(error);
      if (known) {
        const answer = problem(known.status, known.title, known.detail, known.extra);
        // The first request with this Idempotency-Key is still running, or others kept changing the same
        // record: a second try is worth making in a moment.
        return error instanceof RequestInFlightError || error instanceof ConcurrentUpdateError ? { ...answer, headers: { ...answer.headers, 'Retry-After': '1' } } : answer;
      }
      log.error('unhandled error', { route: name, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
      return problem(500, 'Internal Server Error', 'something went wrong on our side; the request may be retried');
    }
  };
}
