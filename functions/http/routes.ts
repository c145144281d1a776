/**
 * The HTTP API's routes, read by both the CDK stack and the local server so
 * the two cannot drift. `handler` names the function (and, unless `module`
 * says otherwise, its module `functions/http/<handler>.ts`); `tables` and
 * `buckets` are the least access its function needs; `auth` how callers prove
 * who they are.
 */
import type { BucketId } from '#core/buckets.ts';
import type { TableId } from '#core/tables.ts';

export type TableAccess = 'read' | 'readWrite';
export type BucketAccess = 'read' | 'write' | 'readWrite';

export interface HttpRoute {
  /** ANY: every method no other route of the path takes. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  /** `{name}` is one segment; a last `{name+}` is the rest of the path, chosen only when no other route matches. */
  path: string;
  handler: string;
  tables: Partial<Record<TableId, TableAccess>>;
  buckets?: Partial<Record<BucketId, BucketAccess>>;
  /** Module exporting `handler`, from the repository root. Default: functions/http/<handler>.ts. */
  module?: string;
  /** Default 'jwt'. */
  auth?: RouteAuth;
  /** Lambda settings for routes that do more than one small transaction (defaults: 10 s, 512 MB). */
  timeoutSeconds?: number;
  memoryMB?: number;
}

/**
 * - `jwt`: API Gateway's JWT authorizer (administrators, user pool or OIDC); roles from the groups claim.
 * - `scimToken`: the Lambda authorizer functions/scim/authorizer.ts (identity providers'
 *   long-lived bearer tokens per directory); the handler reads requestContext.authorizer.lambda.
 */
export type RouteAuth = 'jwt' | 'scimToken';

export const routeAuth = (route: Pick<HttpRoute, 'auth'>): RouteAuth => route.auth ?? 'jwt';
export const routeModule = (route: Pick<HttpRoute, 'handler' | 'module'>) => route.module ?? `functions/http/${route.handler}.ts`;

const people = { users: 'readWrite', seats: 'readWrite' } as const;
const reader = { users: 'read', seats: 'read' } as const;

/** A SCIM 2.0 route (RFC 7644) for identity providers, served by functions/scim/<file>.ts. */
const scim = (method: HttpRoute['method'], path: string, file: string, tables: HttpRoute['tables']): HttpRoute => ({
  method,
  path: `/scim/v2${path}`,
  handler: `scim${file[0]!.toUpperCase()}${file.slice(1)}`,
  module: `functions/scim/${file}.ts`,
  tables,
  auth: 'scimToken',
});

export const httpRoutes: HttpRoute[] = [
  // POSTs behind an Idempotency-Key keep their records in the jobs table.
  { method: 'POST', path: '/users', handler: 'createUser', tables: { ...people, jobs: 'readWrite' } },
  { method: 'GET', path: '/users', handler: 'listUsers', tables: reader },
  { method: 'GET', path: '/users/{id}', handler: 'getUser', tables: { users: 'read' } },
  { method: 'PATCH', path: '/users/{id}', handler: 'updateUser', tables: people },
  { method: 'POST', path: '/users/{id}/block', handler: 'blockUser', tables: people },
  { method: 'POST', path: '/users/{id}/unblock', handler: 'unblockUser', tables: people },
  { method: 'DELETE', path: '/users/{id}', handler: 'deleteUser', tables: people },
  { method: 'GET', path: '/summary', handler: 'getSummary', tables: { seats: 'read' } },
  { method: 'GET', path: '/export', handler: 'exportPeople', tables: { users: 'read', seats: 'read', jobs: 'readWrite' }, buckets: { exports: 'readWrite' }, timeoutSeconds: 29, memoryMB: 1024 },
  // CSV imports: a presigned upload into the imports bucket (the area is checked), the jobs the import function records, a presigned report.
  { method: 'POST', path: '/imports', handler: 'createImportUpload', tables: { seats: 'read' }, buckets: { imports: 'write' } },
  { method: 'GET', path: '/imports', handler: 'listImports', tables: { jobs: 'read' } },
  { method: 'GET', path: '/imports/{id}', handler: 'getImport', tables: { jobs: 'read' }, buckets: { imports: 'read' } },
  { method: 'GET', path: '/license', handler: 'getLicense', tables: { seats: 'read' } },
  { method: 'PUT', path: '/license/areas/{area}', handler: 'putAreaLimit', tables: { seats: 'readWrite' } },
  { method: 'POST', path: '/license/transfers', handler: 'createTransfer', tables: { seats: 'readWrite', jobs: 'readWrite' } },
  // The licence waiting list and its activation run (also scheduled: functions/activation/handler.ts).
  { method: 'GET', path: '/pending', handler: 'listPending', tables: reader },
  { method: 'POST', path: '/pending/activate', handler: 'activatePending', tables: people },
  // Bearer tokens of identity providers (stored as hashes in the jobs table).
  { method: 'POST', path: '/scim-tokens', handler: 'createScimToken', tables: { jobs: 'readWrite' } },
  { method: 'GET', path: '/scim-tokens', handler: 'listScimTokens', tables: { jobs: 'read' } },
  { method: 'DELETE', path: '/scim-tokens/{id}', handler: 'deleteScimToken', tables: { jobs: 'readWrite' } },
  scim('GET', '/Users', 'listUsers', reader),
  scim('POST', '/Users', 'createUser', people),
  scim('GET', '/Users/{id}', 'getUser', { users: 'read' }),
  scim('PUT', '/Users/{id}', 'replaceUser', people),
  scim('PATCH', '/Users/{id}', 'patchUser', people),
  scim('DELETE', '/Users/{id}', 'deleteUser', people),
  scim('GET', '/ServiceProviderConfig', 'getServiceProviderConfig', {}),
  scim('GET', '/ResourceTypes', 'listResourceTypes', {}),
  scim('GET', '/ResourceTypes/{id}', 'getResourceType', {}),
  scim('GET', '/Schemas', 'listSchemas', {}),
  scim('GET', '/Schemas/{id}', 'getSchema', {}),
  // Anything else under /scim/v2 (Groups, Bulk, /Me, .search, unknown paths): a SCIM error body, not the gateway's.
  scim('ANY', '/{proxy+}', 'unsupportedEndpoint', {}),
];

export const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;
