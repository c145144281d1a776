/**
 * Every Lambda function the stack deploys: where its code is, its Lambda
 * settings, and which tables and buckets it may touch. The stack builds
 * functions from this list, and the bundle-size bench and the local runtime
 * (infra/local/functions.ts) read the same list, so none can forget one.
 */
import { fileURLToPath } from 'node:url';
import { IMPORT_TIMEOUT_MS } from '#core/importConfig.ts';
import { NOTIFY_TIMEOUT_MS } from '../../functions/notify/config.ts';
import { httpRoutes, routeAuth, routeKey, routeModule, type HttpRoute, type RouteAuth } from '#http/routes.ts';
import { coreAccess as core, queryIndex, tableAccess } from '#core/tableAccess.ts';
import { IMPORT_FUNCTION } from '#core/importRetry.ts';
import { PEOPLE_ADMINS_INDEX } from '#core/tables.ts';

/** The repository root (this file is infra/stack/functionCatalog.ts). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface FunctionSpec {
  /** Unique name; also the construct id. */
  name: string;
  /** Path from the repository root to a module exporting `handler`. */
  entry: string;
  /** The Lambda function's description. */
  description: string;
  /** Exactly the DynamoDB actions its code calls, per table, and the indexes it queries (functions/core/tableAccess.ts). */
  tables: HttpRoute['tables'];
  /** Exactly the S3 object actions its code calls, per bucket and key prefix. */
  buckets?: HttpRoute['buckets'];
  /** The functions of this catalog it invokes: lambda:InvokeFunction on each, and its name in the variable given. */
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

/** Every function; the event-fed ones (import, notify, activation) are wired to their triggers in eventFunctions.ts. */
export const allFunctionSpecs: FunctionSpec[] = [...httpFunctionSpecs, scimAuthorizerSpec, importSpec, notifySpec, activationSpec];
