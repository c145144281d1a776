/**
 * The local front door: turns HTTP requests into API Gateway HTTP API
 * (payload 2.0) events, after verifying the bearer token the way the JWT
 * authorizer would, and runs the same handlers Lambda runs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  Context,
} from 'aws-lambda';
import { httpRoutes, routeAuth, routeKey, type HttpRoute } from '../../functions/manifest.ts';
import { errorBody } from '#commons/api/errorResponse.ts';
import { claimsAsApiGatewayDelivers, verifyBearer } from './localAuth.ts';
import { loadHandler } from './functions.ts';
import { requestContextOf } from './requestContext.ts';
import { runLambdaAuthorizer } from './lambdaAuthorizer.ts';
import { LOOPBACK } from './engines.ts';
import type { ConsoleSite } from './consoleSite.ts';

/** What a handler receives: the JWT authorizer's claims, or (auth 'scimToken') the Lambda authorizer's context. */
type LocalApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>>;
type Handler = (event: LocalApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
type Authorizer = (event: APIGatewayRequestAuthorizerEventV2, context: Context) => Promise<unknown>;

/** API Gateway's own payload limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A Lambda context for a local invocation; `timeoutMs` is the function's timeout (API Gateway's 29 s by default). */
export function lambdaContext(functionName: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The path parameters `pattern` gives `segments`, or undefined if it does not match. A last `{name+}` takes the rest (at least one segment). */
function pathParameters(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter(Boolean);
  const greedy = parts.at(-1)?.endsWith('+}') ?? false;
  if (greedy ? segments.length < parts.length : segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    if (greedy && i === parts.length - 1) params[part.slice(1, -2)] = segments.slice(i).map(decodeURIComponent).join('/');
    else if (part.startsWith('{')) params[part.slice(1, -1)] = decodeURIComponent(segments[i]!);
    else if (part !== segments[i]) return undefined;
  }
  return params;
}

/**
 * The route API Gateway would choose: on the request's path, its method before
 * ANY, and a greedy path ({proxy+}) only when no other path matches.
 * `allowed`: the methods the path's other routes take, for a 404's message.
 */
function matchRoute(method: string, path: string): { route?: HttpRoute; params?: Record<string, string>; allowed: string[] } {
  const segments = path.split('/').filter(Boolean);
  const allowed: string[] = [];
  let best: { route: HttpRoute; params: Record<string, string>; rank: number } | undefined;
  for (const route of httpRoutes) {
    const params = pathParameters(route.path, segments);
    if (!params) continue;
    if (route.method !== method && route.method !== 'ANY') {
      allowed.push(route.method);
      continue;
    }
    const rank = (route.path.endsWith('+}') ? 2 : 0) + (route.method === 'ANY' ? 1 : 0);
    if (!best || rank < best.rank) best = { route, params, rank };
  }
  return best ? { route: best.route, params: best.params, allowed } : { allowed };
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return 'too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  response.end(body);
}

const sendError = (response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  send(response, {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(errorBody(code, message)),
  });

/** The event API Gateway (HTTP API, payload 2.0, JWT or Lambda authorizer) hands to a function. */
export function apiGatewayEvent(request: {
  route: HttpRoute;
  /** The request's method (the route's may be ANY). */
  method: string;
  pathParameters: Record<string, string>;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  claims?: Record<string, string | number | boolean | string[]>;
  /** The Lambda authorizer's context, for routes with auth 'scimToken' (instead of claims). */
  lambda?: Record<string, unknown>;
  sourceIp: string;
}): LocalApiEvent {
  const { route, method, url, headers, body } = request;
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const textual = /json|text|csv|xml|x-www-form-urlencoded/i.test(headers['content-type'] ?? 'application/json');
  const key = routeKey(route);
  const authorizer = request.lambda
    ? { lambda: request.lambda }
    : { principalId: '', integrationLatency: 0, jwt: { claims: request.claims ?? {}, scopes: [] } };
  // One of the two event shapes, by the authorizer the route has.
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(Object.keys(request.pathParameters).length ? { pathParameters: request.pathParameters } : {}),
    requestContext: { ...requestContextOf(route, method, url, headers, request.sourceIp), authorizer },
    ...(body.length
      ? { body: textual ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !textual }
      : { isBase64Encoded: false }),
  } as LocalApiEvent;
}

export interface LocalApi {
  url: string;
  stop(): Promise<void>;
}

/** `console`: serve the web console too, on the same origin (`npm start`); the tests of the API alone leave it out. */
export async function startLocalApi(options: {
  port?: number;
  secret: Uint8Array;
  log?: (line: string) => void;
  console?: ConsoleSite;
}): Promise<LocalApi> {
  const handlers = new Map<string, Handler>();
  for (const route of httpRoutes) handlers.set(routeKey(route), (await loadHandler(route.handler)) as Handler);
  const scimAuthorizer = (await loadHandler('scimAuthorizer')) as Authorizer;

  const server = createServer(async (request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    // One line per API request; the console's files would drown them.
    let consoleFile = false;
    response.on('finish', () => consoleFile || options.log?.(`${method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms`));
    try {
      try {
        decodeURIComponent(url.pathname);
      } catch {
        return sendError(response, 400, 'INVALID_REQUEST', 'The path has a malformed percent-encoding (%XX).');
      }
      // The console's paths (/, /assets/…, /config.json, the local sign-in page) are none of the API's.
      if (await options.console?.handle(request, response, url)) {
        consoleFile = true;
        return;
      }
      const { route, params, allowed } = matchRoute(method, url.pathname);
      if (!route) {
        const message = allowed.length
          ? `${method} is not supported on ${url.pathname}; use ${allowed.join(' or ')}.`
          : `No route for ${method} ${url.pathname}.`;
        return sendError(response, 404, 'ROUTE_NOT_FOUND', message);
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
      // Each route's authorizer, as API Gateway runs it: SCIM routes use the Lambda authorizer, the rest the JWT check.
      let auth: { claims: Record<string, string | number | boolean | string[]> } | { lambda: Record<string, unknown> };
      if (routeAuth(route) === 'scimToken') {
        const outcome = await runLambdaAuthorizer(
          scimAuthorizer,
          { route, method, url, headers, sourceIp, pathParameters: params ?? {} },
          lambdaContext('scimAuthorizer'),
        );
        if ('status' in outcome) {
          return send(response, {
            statusCode: outcome.status,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(outcome.body),
          });
        }
        auth = { lambda: outcome.context };
      } else {
        const claims = await verifyBearer(request.headers.authorization, options.secret);
        if (!claims) {
          const message =
            'A valid bearer token is required (Authorization: Bearer <JWT>). Locally, get one with: npm run token -- people-admin';
          return sendError(response, 401, 'UNAUTHORIZED', message, { 'www-authenticate': 'Bearer' });
        }
        // The Authorization header goes on in `headers`, as API Gateway passes it: the functions read the
        // caller's groups from that token (functions/commons/api/authorize.ts), here as on AWS.
        auth = { claims: claimsAsApiGatewayDelivers(claims) };
      }
      const body = await readBody(request);
      if (body === 'too large') return sendError(response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 10 MB.');

      const event = apiGatewayEvent({ route, method, pathParameters: params ?? {}, url, headers, body, ...auth, sourceIp });
      const key = event.routeKey;
      send(response, await handlers.get(key)!(event, lambdaContext(route.handler)));
    } catch (error) {
      console.error(error);
      sendError(response, 500, 'INTERNAL_ERROR', 'The local server failed to run the handler.');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
