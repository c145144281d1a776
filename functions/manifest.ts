/**
 * The function catalogue: every Lambda function Seatkeeper deploys, and every HTTP route.
 * One function per route handler (its module `functions/http/<handler>.ts` unless the route
 * names another), the SCIM token authorizer, and the event functions (import, notify,
 * activation); for each, where its code is, who may call it, its Lambda settings, and exactly
 * the tables, buckets and functions it may touch. The CDK stack deploys from this list, the
 * local server serves its routes, `npm run invoke` and the bundle bench list its functions, and
 * test/infra checks every access list against the calls in the function's bundle.
 *
 * It sits above the edges: it may read any module under functions/, and no module under
 * functions/ reads it (the lint rule `boundaries/dependencies` says so), so a handler never
 * loads the catalogue, nor the stack's view of itself.
 */
import type { BucketId } from '#core/buckets.ts';
import { IMPORT_TIMEOUT_MS } from '#core/importConfig.ts';
import { IMPORT_FUNCTION } from '#core/importRetry.ts';
import { ANY_ADMIN, LICENSE_ADMINS, PEOPLE_ADMINS, SCIM_TOKEN_ADMINS, type RoleRule } from '#core/roles.ts';
import { coreAccess as core, tableAccess, queryIndex, type TableAccess } from '#core/tableAccess.ts';
import { JOBS_BY_KIND_INDEX, PEOPLE_ADMINS_INDEX } from '#core/tables.ts';
import { NOTIFY_TIMEOUT_MS } from './notify/config.ts';

/**
 * S3 object actions (without "s3:"). GetObjectVersion: reading the version an event names.
 * A streamed upload (@aws-sdk/lib-storage) is PutObject, and AbortMultipartUpload when it fails.
 */
export type ObjectAction = 'GetObject' | 'GetObjectVersion' | 'PutObject' | 'AbortMultipartUpload';
/** Object actions per key prefix: `{ 'reports/': ['GetObject'] }` → GetObject on `<bucket>/reports/*` only. */
export type BucketAccess = Readonly<Record<`${string}/`, readonly ObjectAction[]>>;

/** A function of the manifest another may invoke, and the variable that tells the invoker its deployed name. */
export interface InvokedFunction {
  name: string;
  envName: string;
}

export interface HttpRoute {
  /** ANY: every method no other route of the path takes. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  /** `{name}` is one segment; a last `{name+}` is the rest of the path, chosen only when no other route matches. */
  path: string;
  /** The function's name (also its sample event, events/<handler>.json). */
  handler: string;
  /**
   * Who may call it (jwt routes; functions/core/roles.ts): the rule its handler checks, which
   * test/infra/manifest.test.ts compares with the handler's own. (A route's request and response
   * schemas and its error codes are the next things to attach here, for an OpenAPI document.)
   */
  roles?: RoleRule;
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
const scim = (
  method: HttpRoute['method'],
  path: string,
  file: string,
  tables: HttpRoute['tables'],
  sizing: Pick<HttpRoute, 'timeoutSeconds' | 'memoryMB'> = {},
): HttpRoute => ({
  method,
  path: `/scim/v2${path}`,
  handler: `scim${file[0]!.toUpperCase()}${file.slice(1)}`,
  module: `functions/scim/${file}.ts`,
  tables,
  auth: 'scimToken',
  ...sizing,
});

// ── Routes ───────────────────────────────────────────────────────────────────

export const httpRoutes: HttpRoute[] = [
  // POSTs behind an Idempotency-Key keep their records in the jobs table.
  { method: 'POST', path: '/users', handler: 'createUser', roles: PEOPLE_ADMINS, tables: tableAccess(core.createUser, idempotencyRecords) },
  { method: 'GET', path: '/users', handler: 'listUsers', roles: PEOPLE_ADMINS, tables: tableAccess(core.getUser, areaListing) },
  { method: 'GET', path: '/users/{id}', handler: 'getUser', roles: PEOPLE_ADMINS, tables: core.getUser },
  { method: 'PATCH', path: '/users/{id}', handler: 'updateUser', roles: PEOPLE_ADMINS, tables: core.changeUser },
  { method: 'POST', path: '/users/{id}/block', handler: 'blockUser', roles: PEOPLE_ADMINS, tables: core.changeUser },
  { method: 'POST', path: '/users/{id}/unblock', handler: 'unblockUser', roles: PEOPLE_ADMINS, tables: core.changeUser },
  { method: 'DELETE', path: '/users/{id}', handler: 'deleteUser', roles: PEOPLE_ADMINS, tables: core.deleteUser },
  { method: 'GET', path: '/summary', handler: 'getSummary', roles: ANY_ADMIN, tables: core.readAreas },
  // Streams people/<date>/<id>.csv into the exports bucket, presigns its download, records who exported what.
  {
    method: 'GET',
    path: '/export',
    handler: 'exportPeople',
    roles: PEOPLE_ADMINS,
    module: 'functions/export/handler.ts',
    tables: tableAccess(areaListing, { jobs: ['PutItem'] }),
    buckets: { exports: { 'people/': ['AbortMultipartUpload', 'GetObject', 'PutObject'] } },
    timeoutSeconds: 29,
    memoryMB: 1024,
  },
  // CSV imports: a presigned upload into imports/ or sync/ (the area is checked), the jobs the import function records, a presigned report.
  {
    method: 'POST',
    path: '/imports',
    handler: 'createImportUpload',
    roles: PEOPLE_ADMINS,
    tables: core.readArea,
    buckets: { imports: { 'imports/': ['PutObject'], 'sync/': ['PutObject'] } },
  },
  { method: 'GET', path: '/imports', handler: 'listImports', roles: PEOPLE_ADMINS, tables: jobsByKind },
  {
    method: 'GET',
    path: '/imports/{id}',
    handler: 'getImport',
    roles: PEOPLE_ADMINS,
    tables: importJob,
    buckets: { imports: { 'reports/': ['GetObject'] } },
  },
  // Resumes an interrupted job: reads it, then invokes the import function asynchronously (core/importRetry.ts).
  {
    method: 'POST',
    path: '/imports/{id}/retry',
    handler: 'retryImport',
    roles: PEOPLE_ADMINS,
    tables: importJob,
    invokes: [IMPORT_FUNCTION],
  },
  { method: 'GET', path: '/license', handler: 'getLicense', roles: ANY_ADMIN, tables: core.readAreas },
  { method: 'PUT', path: '/license/areas/{area}', handler: 'putAreaLimit', roles: LICENSE_ADMINS, tables: core.setAreaLimit },
  {
    method: 'POST',
    path: '/license/transfers',
    handler: 'createTransfer',
    roles: LICENSE_ADMINS,
    tables: tableAccess(core.transferSeats, idempotencyRecords),
  },
  // The licence waiting list and its activation run (also scheduled: functions/activation/handler.ts).
  { method: 'GET', path: '/pending', handler: 'listPending', roles: PEOPLE_ADMINS, tables: areaListing },
  // As long as API Gateway waits: after a large limit rise thousands may be activated.
  {
    method: 'POST',
    path: '/pending/activate',
    handler: 'activatePending',
    roles: PEOPLE_ADMINS,
    tables: tableAccess(core.readArea, core.readAreas, core.activateWaiting),
    timeoutSeconds: 29,
  },
  // Bearer tokens of identity providers (stored as hashes in the jobs table).
  { method: 'POST', path: '/scim-tokens', handler: 'createScimToken', roles: SCIM_TOKEN_ADMINS, tables: { jobs: ['PutItem'] } },
  { method: 'GET', path: '/scim-tokens', handler: 'listScimTokens', roles: SCIM_TOKEN_ADMINS, tables: jobsByKind },
  { method: 'DELETE', path: '/scim-tokens/{id}', handler: 'deleteScimToken', roles: SCIM_TOKEN_ADMINS, tables: { jobs: ['DeleteItem'] } },
  // A directory's full list reads every area's users (no single-area listing), page after page: give it room.
  // Where a page ended is kept in the jobs table for the next (scim/pageContinuation.ts).
  scim(
    'GET',
    '/Users',
    'listUsers',
    tableAccess(core.getUser, core.readAreas, core.areaUsers, core.externalIdUsers, { jobs: ['GetItem', 'PutItem'] }),
    { timeoutSeconds: 29, memoryMB: 1024 },
  ),
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

// ── Functions ────────────────────────────────────────────────────────────────

export interface FunctionSpec {
  /** Unique name; also the construct id. */
  name: string;
  /** Path from the repository root to a module exporting `handler`. */
  entry: string;
  /** The Lambda function's description. */
  description: string;
  /** Exactly the DynamoDB actions its code calls, per table, and the indexes it queries (functions/core/tableAccess.ts). */
  tables: TableAccess;
  /** Exactly the S3 object actions its code calls, per bucket and key prefix. */
  buckets?: HttpRoute['buckets'];
  /** The functions of this manifest it invokes: lambda:InvokeFunction on each, and its name in the variable given. */
  invokes?: HttpRoute['invokes'];
  /** @default 10 s: well under API Gateway's 30 s; core retries contended transactions a few times. */
  timeoutSeconds?: number;
  /** @default 512 MB: more memory is more CPU, which shortens cold starts; idle cost is zero either way. */
  memoryMB?: number;
}

/** A route handler's function: also how its callers are authorized (the JWT claim or the SCIM settings it gets). */
export interface HttpFunctionSpec extends FunctionSpec {
  auth: RouteAuth;
}

/**
 * One function per HTTP route handler (functions/http/<handler>.ts unless the
 * route names its module). Routes sharing a handler share its function, so they
 * must agree on everything it is built from.
 */
export const httpFunctionSpecs: HttpFunctionSpec[] = (() => {
  const specs = new Map<string, HttpFunctionSpec>();
  for (const route of httpRoutes) {
    const earlier = specs.get(route.handler);
    const spec: HttpFunctionSpec = {
      name: route.handler,
      entry: routeModule(route),
      // Named after the handler's first route.
      description: earlier?.description ?? `Seatkeeper ${routeKey(route)}`,
      auth: routeAuth(route),
      tables: route.tables,
      ...(route.buckets ? { buckets: route.buckets } : {}),
      ...(route.invokes ? { invokes: route.invokes } : {}),
      // A streamed export may run up to API Gateway's 30 s; more memory is more CPU.
      ...(route.timeoutSeconds ? { timeoutSeconds: route.timeoutSeconds } : {}),
      ...(route.memoryMB ? { memoryMB: route.memoryMB } : {}),
    };
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(spec)) {
      throw new Error(`Routes with handler '${spec.name}' disagree on its module, auth, tables, buckets, invokes, timeout or memory.`);
    }
    specs.set(spec.name, spec);
  }
  return [...specs.values()];
})();

/**
 * Lambda authorizer of the routes with `auth: 'scimToken'`: looks the bearer
 * token up in the jobs table and records when it was last used.
 */
export const scimAuthorizerSpec: FunctionSpec = {
  name: 'scimAuthorizer',
  entry: 'functions/scim/authorizer.ts',
  description: 'Seatkeeper SCIM bearer-token authorizer',
  // The token by id, then (at most every few minutes) when it was last used.
  tables: { jobs: ['GetItem', 'UpdateItem'] },
};

/** S3 ObjectCreated under imports/ and sync/ of the imports bucket: reads the CSV, writes its report next to it. */
export const importSpec: FunctionSpec = {
  // Invoked by S3, and by POST /imports/{id}/retry under this name.
  name: IMPORT_FUNCTION.name,
  entry: 'functions/import/handler.ts',
  description: 'Seatkeeper CSV import and directory sync (S3 ObjectCreated)',
  tables: tableAccess(
    // The file's job: claimed, leased and finished by conditional updates; a lost lease reads it back.
    { jobs: ['GetItem', 'Query', 'UpdateItem'] },
    // The rows: the areas, existing users by email (BatchGetItem), new users in bulk.
    core.readAreas,
    { users: ['BatchGetItem'] },
    core.createUsersInBulk,
    // Sync runs: the directory's users per area, blocks absent ones, activates listed waiting ones.
    core.areaUsers,
    core.changeUser,
    core.activateWaiting,
  ),
  // Reads the uploaded version; writes its report under reports/ (streamed, aborted on failure).
  buckets: {
    imports: {
      'imports/': ['GetObject', 'GetObjectVersion'],
      'sync/': ['GetObject', 'GetObjectVersion'],
      'reports/': ['AbortMultipartUpload', 'PutObject'],
    },
  },
  // CSV files up to IMPORT_MAX_FILE_BYTES (50 MiB) are streamed; a long file renews its lease and may take minutes.
  memoryMB: 1024,
  timeoutSeconds: IMPORT_TIMEOUT_MS / 1000,
};

/** The seats table's stream: limit alerts to People administrators (alert state in jobs). */
export const notifySpec: FunctionSpec = {
  name: 'notify',
  entry: 'functions/notify/handler.ts',
  description: 'Seatkeeper limit alerts (seats table stream → SES)',
  // The People administrators (sparse index); alert state and delivery claims in jobs.
  tables: { users: [queryIndex(PEOPLE_ADMINS_INDEX)], jobs: ['DeleteItem', 'PutItem', 'UpdateItem'] },
  // Its delivery claims lapse just after this (functions/notify/alertState.ts).
  timeoutSeconds: NOTIFY_TIMEOUT_MS / 1000,
};

/** How long one activation run may take; the schedule's interval must not be shorter (infra/stack/config.ts). */
export const ACTIVATION_TIMEOUT_SECONDS = 5 * 60;

/** EventBridge schedule: activates licence-blocked users, oldest first, while seats are free. */
export const activationSpec: FunctionSpec = {
  name: 'activation',
  entry: 'functions/activation/handler.ts',
  description: 'Seatkeeper scheduled activation of licence-blocked users',
  // Every area with someone waiting (a scan of the counters), then each area's waiting list.
  tables: tableAccess(core.readAreas, core.activateWaiting),
  // Shorter than any sensible interval, so two scheduled runs never overlap.
  timeoutSeconds: ACTIVATION_TIMEOUT_SECONDS,
};

/** Every function; the event-fed ones (import, notify, activation) are wired to their triggers in infra/stack/eventFunctions.ts. */
export const allFunctionSpecs: FunctionSpec[] = [...httpFunctionSpecs, scimAuthorizerSpec, importSpec, notifySpec, activationSpec];
