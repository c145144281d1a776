/**
 * The HTTP API's routes, read by both the CDK stack and the local server so
 * the two cannot drift. `handler` names the function (and, unless `module`
 * says otherwise, its module `functions/http/<handler>.ts`); `tables` and
 * `buckets` are the least access its function needs; `auth` how callers prove
 * who they are.
 */
import type { BucketId } from '#core/buckets.ts';
import { IMPORT_FUNCTION } from '#core/importRetry.ts';
import { coreAccess as core, tableAccess, queryIndex, type TableAccess } from '#core/tableAccess.ts';
import { JOBS_BY_KIND_INDEX } from '#core/tables.ts';

/**
 * S3 object actions (without "s3:"). GetObjectVersion: reading the version an event names.
 * A streamed upload (@aws-sdk/lib-storage) is PutObject, and AbortMultipartUpload when it fails.
 */
export type ObjectAction = 'GetObject' | 'GetObjectVersion' | 'PutObject' | 'AbortMultipartUpload';
/** Object actions per key prefix: `{ 'reports/': ['GetObject'] }` → GetObject on `<bucket>/reports/*` only. */
export type BucketAccess = Readonly<Record<`${string}/`, readonly ObjectAction[]>>;

/** A function of the catalog another may invoke, and the variable that tells the invoker its deployed name. */
export interface InvokedFunction {
  name: string;
  envName: string;
}

export interface HttpRoute {
  /** ANY: every method no other route of the path takes. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  /** `{name}` is one segment; a last `{name+}` is the rest of the path, chosen only when no other route matches. */
  path: string;
  handler: string;
  /** The DynamoDB actions its function calls, per table (functions/core/tableAccess.ts). */
  tables: TableAccess;
  /** The S3 object actions its function calls, per bucket and key prefix. */
  buckets?: Partial<Record<BucketId, BucketAccess>>;
  /** The functions its function invokes (lambda:InvokeFunction on each, nothing else). */
  invokes?: readonly InvokedFunction[];
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

/** Powertools idempotency records (POSTs behind an Idempotency-Key): its DynamoDB persistence layer gets, puts, updates and deletes them. */
const idempotencyRecords: TableAccess = { jobs: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'] };
/** Import jobs (written by the import function): one by id, or a key's uploads; the list through the byKind index. */
const importJob: TableAccess = { jobs: ['GetItem', 'Query'] };
const jobsByKind: TableAccess = { jobs: [queryIndex(JOBS_BY_KIND_INDEX)] };
/** An area's (or every area's) users: listings, the waiting list, the export. */
const areaListing = tableAccess(core.readArea, core.readAreas, core.areaUsers);
/** A directory's write of a user it manages (functions/scim/provisioning.ts#reconcileUser): block, change (also the email), then the waiting list moves. */
const scimReconcile = tableAccess(core.getUser, core.changeUser, core.changeEmail, core.activateWaiting);

/** A SCIM 2.0 route (RFC 7644) for identity providers, served by functions/scim/<file>.ts. */
const scim = (method: HttpRoute['method'], path: string, file: string, tables: HttpRoute['tables'], sizing: Pick<HttpRoute, 'timeoutSeconds' | 'memoryMB'> = {}): HttpRoute => ({
  method,
  path: `/scim/v2${path}`,
  handler: `scim${file[0]!.toUpperCase()}${file.slice(1)}`,
  module: `functions/scim/${file}.ts`,
  tables,
  auth: 'scimToken',
  ...sizing,
});

export const httpRoutes: HttpRoute[] = [
  // POSTs behind an Idempotency-Key keep their records in the jobs table.
  { method: 'POST', path: '/users', handler: 'createUser', tables: tableAccess(core.createUser, idempotencyRecords) },
  { method: 'GET', path: '/users', handler: 'listUsers', tables: tableAccess(core.getUser, areaListing) },
  { method: 'GET', path: '/users/{id}', handler: 'getUser', tables: core.getUser },
  { method: 'PATCH', path: '/users/{id}', handler: 'updateUser', tables: core.changeUser },
  { method: 'POST', path: '/users/{id}/block', handler: 'blockUser', tables: core.changeUser },
  { method: 'POST', path: '/users/{id}/unblock', handler: 'unblockUser', tables: core.changeUser },
  { method: 'DELETE', path: '/users/{id}', handler: 'deleteUser', tables: core.deleteUser },
  { method: 'GET', path: '/summary', handler: 'getSummary', tables: core.readAreas },
  // Streams people/<date>/<id>.csv into the exports bucket, presigns its download, records who exported what.
  { method: 'GET', path: '/export', handler: 'exportPeople', module: 'functions/export/handler.ts', tables: tableAccess(areaListing, { jobs: ['PutItem'] }), buckets: { exports: { 'people/': ['AbortMultipartUpload', 'GetObject', 'PutObject'] } }, timeoutSeconds: 29, memoryMB: 1024 },
  // CSV imports: a presigned upload into imports/ or sync/ (the area is checked), the jobs the import function records, a presigned report.
  { method: 'POST', path: '/imports', handler: 'createImportUpload', tables: core.readArea, buckets: { imports: { 'imports/': ['PutObject'], 'sync/': ['PutObject'] } } },
  { method: 'GET', path: '/imports', handler: 'listImports', tables: jobsByKind },
  { method: 'GET', path: '/imports/{id}', handler: 'getImport', tables: importJob, buckets: { imports: { 'reports/': ['GetObject'] } } },
  // Resumes an interrupted job: reads it, then invokes the import function asynchronously (core/importRetry.ts).
  { method: 'POST', path: '/imports/{id}/retry', handler: 'retryImport', tables: importJob, invokes: [IMPORT_FUNCTION] },
  { method: 'GET', path: '/license', handler: 'getLicense', tables: core.readAreas },
  { method: 'PUT', path: '/license/areas/{area}', handler: 'putAreaLimit', tables: core.setAreaLimit },
  { method: 'POST', path: '/license/transfers', handler: 'createTransfer', tables: tableAccess(core.transferSeats, idempotencyRecords) },
  // The licence waiting list and its activation run (also scheduled: functions/activation/handler.ts).
  { method: 'GET', path: '/pending', handler: 'listPending', tables: areaListing },
  // As long as API Gateway waits: after a large limit rise thousands may be activated.
  { method: 'POST', path: '/pending/activate', handler: 'activatePending', tables: tableAccess(core.readArea, core.readAreas, core.activateWaiting), timeoutSeconds: 29 },
  // Bearer tokens of identity providers (stored as hashes in the jobs table).
  { method: 'POST', path: '/scim-tokens', handler: 'createScimToken', tables: { jobs: ['PutItem'] } },
  { method: 'GET', path: '/scim-tokens', handler: 'listScimTokens', tables: jobsByKind },
  { method: 'DELETE', path: '/scim-tokens/{id}', handler: 'deleteScimToken', tables: { jobs: ['DeleteItem'] } },
  // A directory's full list reads every area's users (no single-area listing), page after page: give it room.
  // Where a page ended is kept in the jobs table for the next (scim/pageContinuation.ts).
  scim('GET', '/Users', 'listUsers', tableAccess(core.getUser, core.readAreas, core.areaUsers, core.externalIdUsers, { jobs: ['GetItem', 'PutItem'] }), { timeoutSeconds: 29, memoryMB: 1024 }),
  // A userName an account no directory manages already has is taken over (reconciled) instead.
  scim('POST', '/Users', 'createUser', tableAccess(core.createUser, scimReconcile)),
  scim('GET', '/Users/{id}', 'getUser', core.getUser),
  scim('PUT', '/Users/{id}', 'replaceUser', scimReconcile),
  scim('PATCH', '/Users/{id}', 'patchUser', scimReconcile),
  scim('DELETE', '/Users/{id}', 'deleteUser', tableAccess(core.getUser, core.deleteUser)),
  scim('GET', '/ServiceProviderConfig', 'getServiceProviderConfig', {}),
  scim('GET', '/ResourceTypes', 'listResourceTypes', {}),
  scim('GET', '/ResourceTypes/{id}', 'getResourceType', {}),
  scim('GET', '/Schemas', 'listSchemas', {}),
  scim('GET', '/Schemas/{id}', 'getSchema', {}),
  // Anything else under /scim/v2 (Groups, Bulk, /Me, .search, unknown paths): a SCIM error body, not the gateway's.
  scim('ANY', '/{proxy+}', 'unsupportedEndpoint', {}),
];

export const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;
