/**
 * ANY /scim/v2/{proxy+}: every request under /scim/v2 that no other route
 * takes (API Gateway and the local server pick a greedy route last). Without
 * it a provider would get API Gateway's `{"message":"Not Found"}` (locally the
 * admin API's ROUTE_NOT_FOUND) where RFC 7644 §3.12 asks for a SCIM error:
 * 501 for what SCIM defines and Seatkeeper does not implement, 404 otherwise.
 */
import { ScimError } from './scimErrors.ts';
import { scimHandler } from './scimHandler.ts';

/** SCIM endpoints Seatkeeper does not implement (first path segment, or .search last; any letter case), and what to do instead. */
const NOT_IMPLEMENTED = new Map([
  ['groups', 'Groups are not supported: Seatkeeper keeps no groups. Turn group provisioning (group push) off in the identity provider.'],
  ['bulk', 'Bulk is not supported (ServiceProviderConfig bulk.supported is false): send one request per user.'],
  ['me', '/Me is not supported: a SCIM token belongs to a directory, not to a person.'],
  ['.search', 'POST .search is not supported: use GET /Users?filter=… instead.'],
]);

/** The endpoints Seatkeeper serves; another method on one of them is not implemented rather than not found. */
const SERVED = new Set(['Users', 'ServiceProviderConfig', 'ResourceTypes', 'Schemas']);

export const handler = scimHandler(async ({ event }) => {
  const path = event.pathParameters?.proxy ?? '';
  const segments = path.split('/').filter(Boolean);
  const method = event.requestContext.http.method;
  const search = segments.at(-1)?.toLowerCase() === '.search';
  const unsupported = NOT_IMPLEMENTED.get(search ? '.search' : (segments[0]?.toLowerCase() ?? ''));
  if (unsupported) throw new ScimError(501, undefined, unsupported);
  if (SERVED.has(segments[0] ?? '') && segments.length <= 2) {
    throw new ScimError(501, undefined, `${method} is not supported on /${path}; /ServiceProviderConfig and /ResourceTypes say what is.`);
  }
  throw new ScimError(
    404,
    undefined,
    `No SCIM endpoint /${path.slice(0, 100)}. Seatkeeper serves /Users, /ServiceProviderConfig, /ResourceTypes and /Schemas.`,
  );
});
