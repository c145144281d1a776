/**
 * Every Lambda function the stack deploys: where its code is and which tables
 * and buckets it may touch. The stack builds functions from this list and the bundle-size
 * bench bundles the same list, so neither can forget one.
 */
import { fileURLToPath } from 'node:url';
import type { BucketId } from '#core/buckets.ts';
import type { TableId } from '#core/tables.ts';
import { httpRoutes, type BucketAccess, type TableAccess } from '#http/routes.ts';

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

/** One function per HTTP route (functions/http/<handler>.ts). */
export const httpFunctionSpecs: FunctionSpec[] = httpRoutes.map((route) => ({
  name: route.handler,
  entry: `functions/http/${route.handler}.ts`,
  tables: route.tables,
  ...(route.buckets ? { buckets: route.buckets } : {}),
}));

/**
 * Functions fed by events rather than HTTP. Each is created and wired to its
 * trigger in SeatkeeperStack (see "Event-driven functions" there). Planned:
 * - import:     S3 ObjectCreated on imports/ and sync/ → functions/import (users, seats, jobs: readWrite)
 * - notify:     seats table stream → SES email to People admins, SQS on-failure destination (users: read, jobs: readWrite)
 * - export:     GET /export writes a CSV to the exports bucket and presigns it. It is an HTTP route,
 *               so it arrives through httpRoutes with `buckets: { exports: 'readWrite' }`.
 * - activation: EventBridge schedule → re-activates licence-blocked users (users, seats: readWrite)
 * - scim:       SCIM API behind a Lambda authorizer (users, seats: readWrite)
 */
export const eventFunctionSpecs: FunctionSpec[] = [];

export const allFunctionSpecs: FunctionSpec[] = [...httpFunctionSpecs, ...eventFunctionSpecs];
