import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { routeById, routes, type ApiGroup, type RouteId, type RouteIdOf } from '../../contract/routes.js';
import { authorize, problem, withProblems, type Caller } from './http.js';

/**
 * Routes find their handlers by id: a handler names the route it serves, and takes from that row
 * who may call it; a function serving a group of routes finds each request's route by the
 * resource and method API Gateway matched.
 */
export type Handler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;

/** The handler of a route that needs a key or a staff token: the caller is checked against the row's roles first. */
export function routeHandler(id: RouteId, handle: (event: APIGatewayProxyEvent, caller: Caller) => Promise<APIGatewayProxyResult>): Handler {
  const { roles } = routeById[id];
  return withProblems(id, async (event) => handle(event, authorize(event, roles)));
}

/** The handler of a public route (a review link, the console, the API document): it checks its own credential, if any. */
export function publicRouteHandler(id: RouteId, handle: Handler): Handler {
  if (!routeById[id].public) throw new Error(`route ${id} is not public`);
  return withProblems(id, handle);
}

/** The handlers of one group's routes, by route id: every route of the group, and no other. */
export type GroupHandlers<G extends ApiGroup> = { [K in RouteIdOf<G>]: Handler };

/** One function's handler: each request goes to the handler of the route API Gateway matched, among the group's. */
export function serve<G extends ApiGroup>(group: G, handlers: GroupHandlers<G>): Handler {
  const byRoute = new Map<string, Handler>();
  for (const route of routes.filter((r) => r.group === group)) {
    for (const path of [route.path, ...(route.alsoAt ?? [])]) byRoute.set(`${route.method} ${path}`, (handlers as Record<string, Handler>)[route.id]!);
  }
  return async (event, context) => {
    const handle = byRoute.get(`${event.httpMethod} ${event.resource}`) ?? byRoute.get(`ANY ${event.resource}`);
    return handle ? handle(event, context) : problem(404, 'Not Found', `no route for ${event.httpMethod} ${event.resource} in ${group}`);
  };
}
