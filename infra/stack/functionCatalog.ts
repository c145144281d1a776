/**
 * Every Lambda function the stack deploys: where its code is, its Lambda
 * settings, and which tables and buckets it may touch. The stack builds
 * functions from this list, and the bundle-size bench and the local runtime
 * (infra/local/functions.ts) read the same list, so none can forget one.
 */
import { fileURLToPath } from 'node:url';
import { IMPORT_TIMEOUT_MS } from '../../functions/import/importConfig.ts';
import { NOTIFY_TIMEOUT_MS } from '../../functions/notify/config.ts';
import { httpRoutes, routeAuth, routeKey, routeModule, type HttpRoute, type RouteAuth } from '#http/routes.ts';

/** The repository root (this file is infra/stack/functionCatalog.ts). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface FunctionSpec {
  /** Unique name; also the construct id. */
  name: string;
  /** Path from the repository root to a module exporting `handler`. */
  entry: string;
  /** The Lambda function's description. */
  description: string;
  /** The least table access the function needs (read → read only; readWrite adds writes). */
  tables: HttpRoute['tables'];
  /** Object access: read → GetObject, write → PutObject, readWrite → both. */
  buckets?: HttpRoute['buckets'];
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
      // A streamed export may run up to API Gateway's 30 s; more memory is more CPU.
      ...(route.timeoutSeconds ? { timeoutSeconds: route.timeoutSeconds } : {}),
      ...(route.memoryMB ? { memoryMB: route.memoryMB } : {}),
    };
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(spec)) {
      throw new Error(`Routes with handler '${spec.name}' disagree on its module, auth, tables, buckets, timeout or memory.`);
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
  tables: { jobs: 'readWrite' },
};

/** S3 ObjectCreated under imports/ and sync/ of the imports bucket: reads the CSV, writes its report next to it. */
export const importSpec: FunctionSpec = {
  name: 'import',
  entry: 'functions/import/handler.ts',
  description: 'Seatkeeper CSV import and directory sync (S3 ObjectCreated)',
  tables: { users: 'readWrite', seats: 'readWrite', jobs: 'readWrite' },
  buckets: { imports: 'readWrite' },
  // CSV files up to IMPORT_MAX_FILE_BYTES (50 MiB) are streamed; a long file renews its lease and may take minutes.
  memoryMB: 1024,
  timeoutSeconds: IMPORT_TIMEOUT_MS / 1000,
};

/** The seats table's stream: limit alerts to People administrators (alert state in jobs). */
export const notifySpec: FunctionSpec = {
  name: 'notify',
  entry: 'functions/notify/handler.ts',
  description: 'Seatkeeper limit alerts (seats table stream → SES)',
  tables: { users: 'read', jobs: 'readWrite' },
  // Its delivery claims lapse just after this (functions/notify/alertState.ts).
  timeoutSeconds: NOTIFY_TIMEOUT_MS / 1000,
};

/** EventBridge schedule: activates licence-blocked users, oldest first, while seats are free. */
export const activationSpec: FunctionSpec = {
  name: 'activation',
  entry: 'functions/activation/handler.ts',
  description: 'Seatkeeper scheduled activation of licence-blocked users',
  tables: { users: 'readWrite', seats: 'readWrite' },
  // Shorter than any sensible interval, so two scheduled runs never overlap.
  timeoutSeconds: 5 * 60,
};

/** Every function; the event-fed ones (import, notify, activation) are wired to their triggers in eventFunctions.ts. */
export const allFunctionSpecs: FunctionSpec[] = [...httpFunctionSpecs, scimAuthorizerSpec, importSpec, notifySpec, activationSpec];
