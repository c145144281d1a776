import { randomUUID } from 'node:crypto';
import { routeKey, type HttpRoute } from '../../functions/manifest.ts';

/**
 * The requestContext API Gateway (HTTP API, payload 2.0) gives a route's function and its Lambda authorizer alike.
 * `method` is the request's own (a route's may be ANY).
 */
export function requestContextOf(route: HttpRoute, method: string, url: URL, headers: Record<string, string>, sourceIp: string) {
  return {
    accountId: '000000000000',
    apiId: 'local',
    domainName: headers.host ?? 'localhost',
    domainPrefix: 'localhost',
    http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
    requestId: randomUUID(),
    routeKey: routeKey(route),
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  };
}
