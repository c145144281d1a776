/**
 * Which DynamoDB actions a function may call on which table: the CDK stack
 * grants each function exactly its list (infra/stack/seatkeeperFunction.ts),
 * so a list here must name everything the function's code calls. Lists are
 * IAM action names without "dynamodb:", plus `Query <index>` for each index a
 * function queries. TransactWriteItems has no IAM action of its own: each
 * item of a transaction is authorized as PutItem, UpdateItem, DeleteItem or
 * ConditionCheckItem on its table.
 *
 * `coreAccess` is what each core operation needs; the manifest (functions/manifest.ts)
 * composes each function's list from it. test/infra/tableAccess.test.ts
 * compares each function's list with the commands its bundle contains.
 */
import { JOBS_BY_KIND_INDEX, PEOPLE_ADMINS_INDEX, USERS_BY_AREA_INDEX, USERS_BY_EXTERNAL_ID_INDEX, type TableId } from './tables.ts';

export type ItemAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';
type IndexName = typeof USERS_BY_AREA_INDEX | typeof PEOPLE_ADMINS_INDEX | typeof USERS_BY_EXTERNAL_ID_INDEX | typeof JOBS_BY_KIND_INDEX;
/** An action on the table itself, or a Query of one of its indexes. */
export type TableAction = ItemAction | `Query ${IndexName}`;
export type TableAccess = Partial<Record<TableId, readonly TableAction[]>>;

export const queryIndex = <I extends IndexName>(index: I) => `Query ${index}` as const;

/** One table's list as IAM needs it: the actions on the table itself, and the indexes it queries. */
export function splitTableActions(list: readonly TableAction[]): { actions: ItemAction[]; indexes: string[] } {
  const actions: ItemAction[] = [];
  const indexes: string[] = [];
  for (const action of list) {
    if (action.startsWith('Query ')) indexes.push(action.slice('Query '.length));
    else actions.push(action as ItemAction);
  }
  return { actions, indexes };
}

/** The union of several accesses, each list sorted. */
export function tableAccess(...parts: TableAccess[]): TableAccess {
  const merged: Partial<Record<TableId, Set<TableAction>>> = {};
  for (const part of parts) {
    for (const [tableId, actions] of Object.entries(part) as [TableId, readonly TableAction[]][]) {
      const set = (merged[tableId] ??= new Set());
      actions.forEach((action) => set.add(action));
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([tableId, set]) => [tableId, [...set].sort()]));
}

/** What each core operation calls (functions/core). */
export const coreAccess = {
  /** people.getUser, findUserByEmail: a consistent read of a user or an email guard. */
  getUser: { users: ['GetItem'] },
  /**
   * people.createUser: one transaction puts the user and its email guard and updates the area's counters;
   * when the counter refuses, the area is read (readArea) and the refusal counted (recordRefusals).
   */
  createUser: { users: ['PutItem'], seats: ['GetItem', 'UpdateItem'] },
  /** people.blockUser, unblockUser, updateUser: read the user, then put it and update the counters in one transaction. */
  changeUser: { users: ['GetItem', 'PutItem'], seats: ['GetItem', 'UpdateItem'] },
  /** updateUser with a new email (directories only; HTTP updates cannot change it) also deletes the old email guard. */
  changeEmail: { users: ['DeleteItem'] },
  /** people.deleteUser: read the user, then delete it and its email guard and update the counters. */
  deleteUser: { users: ['GetItem', 'DeleteItem'], seats: ['GetItem', 'UpdateItem'] },
  /** seatCounter.readArea, areasToRead(area). */
  readArea: { seats: ['GetItem'] },
  /** seatCounter.readAreas, license.summary, areasToRead() for every area: the seats table holds one item per area. */
  readAreas: { seats: ['Scan'] },
  /** areaIndex: an area's users through the byArea index. */
  areaUsers: { users: [queryIndex(USERS_BY_AREA_INDEX)] },
  /** people.findUsersByExternalId: users with a directory's own id, through the byExternalId index. */
  externalIdUsers: { users: [queryIndex(USERS_BY_EXTERNAL_ID_INDEX)] },
  /** waitingList.activateWaiting: the area, its waiting users, then users and counters in one transaction. */
  activateWaiting: { users: [queryIndex(USERS_BY_AREA_INDEX), 'PutItem'], seats: ['GetItem', 'UpdateItem'] },
  /** bulk.createUsersInBulk: users, guards and the counters in one transaction per chunk; recordRefusals. */
  createUsersInBulk: { users: ['PutItem'], seats: ['UpdateItem'] },
  /** license.setAreaLimit: read, then create (put) or change (update) the area conditionally. */
  setAreaLimit: { seats: ['GetItem', 'PutItem', 'UpdateItem'] },
  /** license.transferSeats: both areas and, with a retry key, its record in one transaction, then read back. */
  transferSeats: { seats: ['GetItem', 'UpdateItem'], jobs: ['PutItem'] },
} as const satisfies Record<string, TableAccess>;
