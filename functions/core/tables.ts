/**
 * The one definition of Seatkeeper's tables. The CDK stack and the local
 * runtime (and the tests) both build their tables from this, so they cannot drift.
 */
export type KeyType = 'S' | 'N';
export interface KeyAttribute {
  name: string;
  type: KeyType;
}
export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}
export interface TableDefinition {
  /** Environment variable that holds the physical table name. */
  envName: string;
  /** Name used when the variable is unset (local runtime). */
  defaultName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes: IndexDefinition[];
  /** Stream view for tables other functions react to. */
  stream?: 'NEW_AND_OLD_IMAGES';
  timeToLiveAttribute?: string;
}

export const USERS_BY_AREA_INDEX = 'byArea';
export const PEOPLE_ADMINS_INDEX = 'peopleAdmins';
export const USERS_BY_EXTERNAL_ID_INDEX = 'byExternalId';
export const JOBS_BY_KIND_INDEX = 'byKind';

export const tableDefinitions = {
  /**
   * User items (pk = user id) and email guards (pk = "email#<lower-cased email>"),
   * so email uniqueness is a condition on a key, enforced by the database.
   */
  users: {
    envName: 'USERS_TABLE',
    defaultName: 'seatkeeper-users',
    partitionKey: { name: 'pk', type: 'S' },
    globalIndexes: [
      // areaStateKey = "<state>#<since>#<id>" (blocked: "blocked#<reason>#…"): one
      // index answers "users of an area", "…in a state" and the license waiting list in arrival order.
      {
        indexName: USERS_BY_AREA_INDEX,
        partitionKey: { name: 'area', type: 'S' },
        sortKey: { name: 'areaStateKey', type: 'S' },
      },
      // Sparse: only users holding the people-admin role, for limit alerts.
      {
        indexName: PEOPLE_ADMINS_INDEX,
        partitionKey: { name: 'peopleAdmin', type: 'S' },
        sortKey: { name: 'pk', type: 'S' },
      },
      // Sparse: users a directory gave its own id, for SCIM's `externalId eq` (Entra matches on it when told to).
      {
        indexName: USERS_BY_EXTERNAL_ID_INDEX,
        partitionKey: { name: 'externalId', type: 'S' },
      },
    ],
  },
  /** One item per area: its limit and the counters of the users in it. */
  seats: {
    envName: 'SEATS_TABLE',
    defaultName: 'seatkeeper-seats',
    partitionKey: { name: 'area', type: 'S' },
    globalIndexes: [],
    stream: 'NEW_AND_OLD_IMAGES',
  },
  /** Import, export and alert state; idempotency records; SCIM tokens and page continuations. */
  jobs: {
    envName: 'JOBS_TABLE',
    defaultName: 'seatkeeper-jobs',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Sparse: job records carry kind ("import", "export") and are listed newest first.
    globalIndexes: [
      {
        indexName: JOBS_BY_KIND_INDEX,
        partitionKey: { name: 'kind', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
} satisfies Record<string, TableDefinition>;

export type TableId = keyof typeof tableDefinitions;

export function tableName(id: TableId): string {
  const definition = tableDefinitions[id];
  return process.env[definition.envName] || definition.defaultName;
}

/** The value of a table's TTL attribute (epoch seconds) for an item that expires `days` after `now`. */
export function ttlAfterDays(days: number, now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

/**
 * Whether a value from outside (a cursor) can be a string key attribute: DynamoDB
 * answers an empty or oversized one with a ValidationException, a 500 to the caller.
 * 1,024 bytes is the limit for a sort key, 2,048 for a partition key.
 */
export const isKeyString = (value: unknown, maxBytes: 1024 | 2048): value is string =>
  typeof value === 'string' && value !== '' && Buffer.byteLength(value) <= maxBytes;
