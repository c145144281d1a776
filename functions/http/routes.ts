/**
 * The HTTP API's routes, read by both the CDK stack and the local server so
 * the two cannot drift. `handler` names the module `functions/http/<handler>.ts`;
 * `tables` and `buckets` are the least access its function needs.
 */
import type { BucketId } from '#core/buckets.ts';
import type { TableId } from '#core/tables.ts';

export type TableAccess = 'read' | 'readWrite';
export type BucketAccess = 'read' | 'write' | 'readWrite';

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: string;
  tables: Partial<Record<TableId, TableAccess>>;
  buckets?: Partial<Record<BucketId, BucketAccess>>;
}

const people = { users: 'readWrite', seats: 'readWrite' } as const;
const reader = { users: 'read', seats: 'read' } as const;

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
  { method: 'GET', path: '/export', handler: 'exportPeople', tables: { users: 'read', seats: 'read', jobs: 'readWrite' }, buckets: { exports: 'readWrite' } },
  { method: 'GET', path: '/license', handler: 'getLicense', tables: { seats: 'read' } },
  { method: 'PUT', path: '/license/areas/{area}', handler: 'putAreaLimit', tables: { seats: 'readWrite' } },
  { method: 'POST', path: '/license/transfers', handler: 'createTransfer', tables: { seats: 'readWrite', jobs: 'readWrite' } },
];

export const routeKey = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;
