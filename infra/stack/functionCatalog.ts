/**
 * Every Lambda function the stack deploys: where its code is and which tables
 * and buckets it may touch. The stack builds functions from this list and the bundle-size
 * bench bundles the same list, so neither can forget one.
 */
import { fileURLToPath } from 'node:url';
import type { BucketId } from '#core/buckets.ts';
import type { TableId } from '#core/tables.ts';
import { httpRoutes, routeModule, type BucketAccess, type TableAccess } from '#http/routes.ts';

/** The repository root (this file is infra/stack/functionCatalog.ts). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export type TableAccessMap = Partial<Record<TableId, TableAccess>>;
export type BucketAccessMap = Partial<Record<BucketId, BucketAccess>>;

export interface FunctionSpec {
  /** Unique name; also the construct id. */
  name: string;
  /** Path from the repository root to a module exporting `handler`. */
  entry: string;
  /** The least table access the function needs (read → read only; readWrite adds writes). */
  tables: TableAccessMap;
  /** Object access: read → GetObject, write → PutObject, readWrite → both. */
  buckets?: BucketAccessMap;
}

/**
 * One function per HTTP route handler (functions/http/<handler>.ts unless the
 * route names its module). Routes sharing a handler share its function, so they
 * must agree on what it may touch.
 */
export const httpFunctionSpecs: FunctionSpec[] = (() => {
  const specs = new Map<string, FunctionSpec>();
  for (const route of httpRoutes) {
    const spec: FunctionSpec = {
      name: route.handler,
      entry: routeModule(route),
      tables: route.tables,
      ...(route.buckets ? { buckets: route.buckets } : {}),
    };
    const earlier = specs.get(spec.name);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(spec)) {
      throw new Error(`Routes with handler '${spec.name}' disagree on its module, tables or buckets.`);
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
  tables: { jobs: 'readWrite' },
};

/** S3 ObjectCreated under imports/ and sync/ of the imports bucket: reads the CSV, writes its report next to it. */
export const importSpec: FunctionSpec = {
  name: 'import',
  entry: 'functions/import/handler.ts',
  tables: { users: 'readWrite', seats: 'readWrite', jobs: 'readWrite' },
  buckets: { imports: 'readWrite' },
};

/** The seats table's stream: limit alerts to People administrators (alert state in jobs). */
export const notifySpec: FunctionSpec = {
  name: 'notify',
  entry: 'functions/notify/handler.ts',
  tables: { users: 'read', jobs: 'readWrite' },
};

/** EventBridge schedule: activates licence-blocked users, oldest first, while seats are free. */
export const activationSpec: FunctionSpec = {
  name: 'activation',
  entry: 'functions/activation/handler.ts',
  tables: { users: 'readWrite', seats: 'readWrite' },
};

/**
 * Functions fed by events rather than HTTP, wired to their triggers in
 * eventFunctions.ts. infra/local/functions.ts loads handlers by these names.
 */
export const eventFunctionSpecs: FunctionSpec[] = [importSpec, notifySpec, activationSpec];

export const allFunctionSpecs: FunctionSpec[] = [...httpFunctionSpecs, scimAuthorizerSpec, ...eventFunctionSpecs];
