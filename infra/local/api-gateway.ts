import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LocalGatewayResponse, LocalRoute } from './assembly.js';
import { LambdaInvokeError, type LocalLambdaRuntime } from './lambda-runtime.js';

/**
 * API Gateway (REST, Lambda proxy integration) for the local stack: the template's routes, each
 * request turned into the proxy event API Gateway would send, each result back into HTTP, with
 * what API Gateway enforces on the way: the 10 MB payload, the 29 s integration timeout, the
 * request models, binary media types (by the request's first Accept type) and its own answers in
 * the template's gateway responses.
 */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024; // API Gateway's own limit
const INTEGRATION_TIMEOUT_MS = 29_000; // API Gateway's default (and, without a quota raise, its maximum)

/** API Gateway's own answers where the template configures none (their bodies as AWS words them). */
const defaultResponses: Record<string, { status: number; message: string }> = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, message: 'Forbidden' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out' },
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error' },
};

const require = createRequire(import.meta.url);
/** The request models are JSON Schema draft 4, which API Gateway validates with. */
const Ajv04 = require('ajv-draft-04') as new (options: Record<string, unknown>) => { compile: (schema: unknown) => ValidateFunction };

export interface LocalRouteHandler {
  method: string;
  path: string;
  handle: (req: IncomingMessage, body: Buffer) => Promise<{ status: number; body: unknown }>;
}

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  names: string[];
}

type AuthorizerDecision = { principalId?: string; context?: Record<string, unknown>; policyDocument?: { Statement?: { Effect?: string }[] } };

function compile(route: LocalRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.resourcePath
    .split('/')
    .map((part) => {
      const param = /^\{(.+?)(\+)?\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string): void {
  res.writeHead(status, headers);
  res.end(body);
}

function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  send(res, status, { 'Content-Type': 'application/problem+json' }, JSON.stringify({ type: 'about:blank', title, status, detail }));
}

/** How API Gateway's validator words what is wrong with a body (one bracketed list, as AWS shows it). */
function validationErrorString(errors: ErrorObject[] | null | undefined): string {
  const words = (errors ?? []).map((e) => `${e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, '.')}: ` : ''}${e.message ?? 'is not valid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
  return `[${words.join(', ')}]`;
}

/**
 * API Gateway's own answer of a type: the template's gateway response for it, else its
 * DEFAULT_4XX/DEFAULT_5XX, else AWS's own, with `$context.error.*` filled in (escaped for JSON).
 */
function gatewayAnswer(responses: LocalGatewayResponse[], type: string, context: { validationErrorString?: string } = {}) {
  const native = defaultResponses[type] ?? { status: 500, message: 'Internal server error' };
  const configured = responses.find((r) => r.type === type) ?? responses.find((r) => r.type === (native.status < 500 ? 'DEFAULT_4XX' : 'DEFAULT_5XX'));
  const values: Record<string, string> = {
    '$context.error.message': native.message,
    '$context.error.messageString': JSON.stringify(native.message),
    '$context.error.validationErrorString': context.validationErrorString ?? '',
    '$context.error.responseType': type,
  };
  const escape = (value: string) => JSON.stringify(value).slice(1, -1);
  const body = configured?.body
    ? configured.body.replace(/\$context\.[\w.]+/g, (name) => (name === '$context.error.messageString' ? values[name]! : escape(values[name] ?? '')))
    : JSON.stringify({ message: native.message });
  return { status: configured?.statusCode || native.status, headers: configured?.headers ?? { 'Content-Type': 'application/json' }, body };
}

export function startApiGateway(options: {
  port: number;
  routes: LocalRoute[];
  binaryMediaTypes: string[];
  gatewayResponses: LocalGatewayResponse[];
  lambda: LocalLambdaRuntime;
  stage: string;
  local: LocalRouteHandler[];
  /** The stack's clock (ms): time as the functions see it, for the authorizer's cache and the request time. */
  now?: () => number;
}): Promise<Server> {
  const now = options.now ?? Date.now;
  const routes = options.routes.map(compile);
  const ajv = new Ajv04({ allErrors: true, strict: false });
  const validators = new Map(routes.filter((r) => r.bodyModel).map((r) => [r, ajv.compile(r.bodyModel)]));
  const answer = (res: ServerResponse, type: string, context?: { validationErrorString?: string }) => {
    const { status, headers, body } = gatewayAnswer(options.gatewayResponses, type, context);
    send(res, status, headers, body);
  };
  // As API Gateway does: an authorizer's answer is cached per identity for the template's TTL.
  const authorizerCache = new Map<string, { until: number; decision: AuthorizerDecision }>();
  const isBinary = (contentType: string | undefined) => {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    return options.binaryMediaTypes.some((pattern) => pattern === '*/*' || pattern === type || (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))));
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAYLOAD_BYTES) return answer(res, 'REQUEST_TOO_LARGE');
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);

      const local = options.local.find((route) => route.method === req.method && route.path === url.pathname);
      if (local) {
        const result = await local.handle(req, body);
        return send(res, result.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, JSON.stringify(result.body));
      }

      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const matching = routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((m) => m.match);
      if (matching.length === 0) return sendProblem(res, 404, 'Not Found', `no route for ${url.pathname}`);
      const found = matching.find((m) => m.route.method === method || m.route.method === 'ANY');
      if (!found) return sendProblem(res, 405, 'Method Not Allowed', `${req.method} is not allowed on ${url.pathname}`);

      const headers: Record<string, string> = {};
      const multiValueHeaders: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        const value = req.rawHeaders[i + 1]!;
        headers[name] = value;
        (multiValueHeaders[name] ??= []).push(value);
      }
      const query: Record<string, string> = {};
      const multiQuery: Record<string, string[]> = {};
      for (const [key, value] of url.searchParams) {
        query[key] = value;
        (multiQuery[key] ??= []).push(value);
      }
      let pathParameters: Record<string, string>;
      try {
        pathParameters = Object.fromEntries(found.route.names.map((name, i) => [name, decodeURIComponent(found.match![i + 1]!)]));
      } catch {
        // A path that is not valid percent-encoding never reaches a function: a 400 from the front, as on AWS.
        return sendProblem(res, 400, 'Bad Request', 'the path is not valid percent-encoding');
      }
      // What the authorizer's event and the proxy event both carry.
      const request = {
        resource: found.route.resourcePath,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: Object.keys(query).length ? query : null,
        multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
        pathParameters: found.route.names.length ? pathParameters : null,
      };
      // The route's Lambda authorizer, as API Gateway runs it (UNAUTHORIZED: 401, ACCESS_DENIED: 403).
      let authorizerContext: Record<string, unknown> | undefined;
      if (found.route.authorizer) {
        const identity = Object.entries(headers).find(([name]) => name.toLowerCase() === found.route.authorizer!.header.toLowerCase())?.[1];
        if (!identity) return answer(res, 'UNAUTHORIZED');
        const methodArn = `arn:aws:execute-api:us-east-1:000000000000:local/${options.stage}/${method}${url.pathname}`;
        const cacheKey = `${found.route.authorizer.functionName}\n${identity}`;
        const cached = authorizerCache.get(cacheKey);
        let decision = cached && cached.until > now() ? cached.decision : undefined;
        if (!decision) {
          try {
            decision = (await options.lambda.invoke(found.route.authorizer.functionName, {
              type: 'REQUEST',
              methodArn,
              ...request,
              requestContext: { stage: options.stage, httpMethod: method, resourcePath: found.route.resourcePath },
            })) as AuthorizerDecision;
            authorizerCache.set(cacheKey, { until: now() + found.route.authorizer.ttlSeconds * 1000, decision });
          } catch {
            return answer(res, 'UNAUTHORIZED');
          }
        }
        if (decision.policyDocument?.Statement?.some((s) => s.Effect !== 'Allow')) return answer(res, 'ACCESS_DENIED');
        authorizerContext = { principalId: decision.principalId, ...(decision.context ?? {}) };
      }
      // The method's request model, checked before any function runs (API Gateway picks the model by
      // Content-Type; a body without one is taken as application/json).
      const validate = validators.get(found.route);
      const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
      if (validate && contentType === 'application/json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8') || 'null');
        } catch {
          return answer(res, 'BAD_REQUEST_BODY', { validationErrorString: '[the body is not valid JSON]' });
        }
        if (!validate(parsed)) return answer(res, 'BAD_REQUEST_BODY', { validationErrorString: validationErrorString(validate.errors) });
      }
      const binary = isBinary(req.headers['content-type']);
      const event = {
        ...request,
        stageVariables: null,
        requestContext: {
          resourcePath: found.route.resourcePath,
          httpMethod: method,
          // The path the client asked for: on AWS's default host it starts with the stage, here
          // the API is served at the root, as a custom domain would serve it.
          path: url.pathname,
          stage: options.stage,
          requestId: randomUUID(),
          requestTimeEpoch: now(),
          identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? null },
          ...(authorizerContext ? { authorizer: authorizerContext } : {}),
        },
        body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
        isBase64Encoded: body.length > 0 && binary,
      };

      let result: { statusCode?: number; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; body?: string; isBase64Encoded?: boolean };
      let timer: NodeJS.Timeout | undefined;
      try {
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('integration timeout')), INTEGRATION_TIMEOUT_MS);
        });
        result = (await Promise.race([options.lambda.invoke(found.route.functionName, event), timedOut])) as typeof result;
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', message: 'integration failed', route: `${method} ${found.route.resourcePath}`, error: String(error) }));
        if (error instanceof LambdaInvokeError && error.detail.errorType === 'RequestEntityTooLargeException') return answer(res, 'REQUEST_TOO_LARGE');
        if (!(error instanceof LambdaInvokeError)) return answer(res, 'INTEGRATION_TIMEOUT');
        return send(res, 502, { 'Content-Type': 'application/json' }, JSON.stringify({ message: 'Internal server error' }));
      } finally {
        clearTimeout(timer);
      }
      // As API Gateway: a header in both maps has the values of both, each sent as a header line of its own (Set-Cookie).
      const responseHeaders: Record<string, string | string[]> = { ...(result.headers ?? {}) };
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
        const single = result.headers?.[name];
        responseHeaders[name] = [...(single === undefined ? [] : [single]), ...values];
      }
      // A base64 body becomes bytes only when the request's first Accept type is a binary media
      // type; otherwise the client gets the base64 text, as from API Gateway.
      const firstAccept = String(req.headers.accept ?? '').split(',')[0]!;
      const payload = result.isBase64Encoded && isBinary(firstAccept) ? Buffer.from(result.body ?? '', 'base64') : Buffer.from(result.body ?? '', 'utf8');
      send(res, result.statusCode ?? 200, responseHeaders, req.method === 'HEAD' ? '' : payload);
    } catch (error) {
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', error instanceof Error ? error.message : String(error));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}
