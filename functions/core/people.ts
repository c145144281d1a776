import { GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { encodeCursor } from '#commons/cursors.ts';
import { allItems } from '#commons/paging.ts';
import { areasToRead, decodePosition, pageOfAreas } from './areaIndex.ts';
import { directoryMayChange, directoryMayManage } from './directoryScope.ts';
import { exemptAccount, hasErrorCode, invalidCursor, userExists, userNotFound } from './errors.ts';
import { AlreadyMade, retryRecordStep } from './retryRecord.ts';
import { counterStep, recordRefusals } from './seatCounter.ts';
import { USERS_BY_EXTERNAL_ID_INDEX, tableName } from './tables.ts';
import { newUserId } from './userId.ts';
import { runTransaction, stale, withRetries, type TransactionStep } from './transaction.ts';
import {
  activated,
  areaStatePrefix,
  emailGuardKey,
  emailKey,
  fromItem,
  seatDelta,
  toItem,
  type BlockedReason,
  type User,
  type UserSource,
  type UserState,
} from './user.ts';

export interface NewUser {
  email: string;
  name?: string;
  area: string;
  roles?: string[];
  exempt?: boolean;
  source: UserSource;
  directory?: string;
  externalId?: string;
  givenName?: string;
  familyName?: string;
  /** Create the account already blocked (a directory provisions a deactivated user): it never takes a seat. */
  blocked?: BlockedReason;
}

/**
 * What a write that needs a seat (a create, a move, un-exempting) does:
 * - `refuse`: no free seat → SEAT_LIMIT_REACHED (the API, CSV uploads).
 * - `wait`: no free seat → the user waits for one: blocked with reason "license" (directories).
 * - `queue`: the user waits at the back of the waiting list even when a seat is free, since
 *   others already wait for it (directories, in an area where anyone waits).
 */
export type WhenFull = 'refuse' | 'wait' | 'queue';

export interface UserChanges {
  /** Not offered by the HTTP API (DESIGN §2); directories (SCIM) rename users. */
  email?: string;
  name?: string;
  area?: string;
  roles?: string[];
  exempt?: boolean;
  externalId?: string;
  givenName?: string;
  familyName?: string;
}

const now = () => new Date().toISOString();

/** The user item is as it was read: every write raises its version. */
const unchangedSince = (before: { version: number }) => ({
  ConditionExpression: 'version = :version',
  ExpressionAttributeValues: { ':version': before.version },
});

/** Every change of a user: the user write, its email guard, and its seat counters, as one transaction. */
function userWriteSteps(before: { user: User; version: number } | undefined, after: User | undefined): TransactionStep[] {
  const steps: TransactionStep[] = [];
  const users = tableName('users');
  if (after) {
    steps.push({
      write: {
        Put: {
          TableName: users,
          Item: toItem(after, (before?.version ?? 0) + 1),
          ...(before ? unchangedSince(before) : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      onConditionFailed: () => (before ? stale() : new Error(`user id collision: ${after.id}`)),
    });
  } else if (before) {
    steps.push({
      write: { Delete: { TableName: users, Key: { pk: before.user.id }, ...unchangedSince(before) } },
      onConditionFailed: stale,
    });
  }
  const guardChanged = before && after && emailKey(before.user.email) !== emailKey(after.email);
  if ((!before || guardChanged) && after) {
    steps.push({
      write: {
        Put: {
          TableName: users,
          Item: { pk: emailGuardKey(after.email), userId: after.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => userExists(after.email),
    });
  }
  if (before && (!after || guardChanged)) {
    steps.push({
      write: { Delete: { TableName: users, Key: { pk: emailGuardKey(before.user.email) } } },
      onConditionFailed: stale,
    });
  }
  for (const [area, delta] of seatDelta(before?.user, after)) steps.push(counterStep(area, delta));
  return steps;
}

/** The user a create writes, before its seat is decided (bulk paths share it). */
export function newUser(input: NewUser, at: string): User {
  return {
    id: newUserId(),
    email: input.email.trim(),
    name: input.name?.trim() ?? '',
    area: input.area,
    state: 'active',
    exempt: input.exempt ?? false,
    roles: input.roles ?? [],
    source: input.source,
    directory: input.directory,
    externalId: input.externalId,
    givenName: input.givenName,
    familyName: input.familyName,
    createdAt: at,
    updatedAt: at,
    ...(input.blocked ? { state: 'blocked' as const, blockedReason: input.blocked } : {}),
    ...(input.blocked === 'license' ? { pendingSince: at } : {}),
  };
}

/**
 * `retryKey` (the caller and its Idempotency-Key) is recorded in the create's own transaction, first: a
 * retry after an answer that never arrived finds the record and gets the user it created, not USER_EXISTS.
 */
export async function createUser(input: NewUser, whenFull: Exclude<WhenFull, 'queue'> = 'refuse', retryKey?: string): Promise<User> {
  const at = now();
  const { email, name, area, roles, exempt } = input;
  const write = async (user: User): Promise<User> => {
    const record = retryKey ? [retryRecordStep('create', retryKey, { email, name, area, roles, exempt }, { user })] : [];
    try {
      await withRetries(() => runTransaction([...record, ...userWriteSteps(undefined, user)]));
      return user;
    } catch (error) {
      if (error instanceof AlreadyMade) return error.record.user as User;
      throw error;
    }
  };
  const user = newUser(input, at);
  try {
    return await write(user);
  } catch (error) {
    if (!hasErrorCode(error, 'SEAT_LIMIT_REACHED')) throw error;
    await recordRefusals(user.area);
    if (whenFull === 'refuse') throw error;
    return write({ ...user, state: 'blocked', blockedReason: 'license', pendingSince: at });
  }
}

async function loadUser(id: string): Promise<{ user: User; version: number }> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName('users'), Key: { pk: id }, ConsistentRead: true }));
  // Email guards share the table; their keys are not user ids.
  if (!Item || typeof Item.area !== 'string') throw userNotFound(id);
  return fromItem(Item);
}

export async function getUser(id: string): Promise<User> {
  return (await loadUser(id)).user;
}

/** The user holding `email` (any letter case), through its uniqueness guard: two reads, no scan. */
export async function findUserByEmail(email: string): Promise<User | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName('users'), Key: { pk: emailGuardKey(email) }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return getUser(String(Item.userId)).catch((error: unknown) => {
    if (hasErrorCode(error, 'USER_NOT_FOUND')) return undefined;
    throw error;
  });
}

/**
 * The users holding a directory's own id (SCIM externalId), exactly as given,
 * through the sparse byExternalId index. Directories' ids may coincide, so the
 * caller picks by directory. The index lags writes by a moment.
 */
export async function findUsersByExternalId(externalId: string): Promise<User[]> {
  const items = await allItems(
    paginateQuery(
      { client: documentClient },
      {
        TableName: tableName('users'),
        IndexName: USERS_BY_EXTERNAL_ID_INDEX,
        KeyConditionExpression: 'externalId = :externalId',
        ExpressionAttributeValues: { ':externalId': externalId },
      },
    ),
  );
  return items.map((item) => fromItem(item).user);
}

/**
 * Read, decide, write with the version read as condition. `decide` returns the
 * user as it should be, `null` to delete it, or the same object when nothing changes.
 *
 * `directory`: a directory (SCIM) makes the change. A user another directory
 * manages is not found for it; a user no directory manages (made through the
 * API or a CSV upload) becomes this directory's in the same write, even when
 * nothing else changes: that is how a directory takes over existing accounts.
 * A directory never deactivates or deletes an exempt account (EXEMPT_ACCOUNT: directoryScope.ts#directoryMayChange).
 */
function changeUser(id: string, decide: (current: User, at: string) => User | null, directory?: string): Promise<User | null> {
  return withRetries(async () => {
    const before = await loadUser(id);
    // The version condition makes this check hold at the write: a take-over by another directory since changes the version.
    if (directory && !directoryMayManage(before.user, directory)) throw userNotFound(id);
    const at = now();
    let after = decide(before.user, at);
    const adopts = directory !== undefined && before.user.directory !== directory;
    if (after === before.user && !adopts) return before.user;
    if (after && adopts) after = { ...after, directory, updatedAt: at };
    if (directory && !directoryMayChange(before.user, after)) throw exemptAccount(id);
    await runTransaction(userWriteSteps(before, after ?? undefined));
    return after;
  });
}

/** `user` blocked for `reason`: the same block is no change, and an admin's block is never replaced. */
function blockedFor(user: User, reason: BlockedReason, at: string): User {
  if (user.state === 'blocked' && (user.blockedReason === reason || user.blockedReason === 'admin')) return user;
  const { pendingSince: _, ...rest } = user;
  return { ...rest, state: 'blocked', blockedReason: reason, updatedAt: at, ...(reason === 'license' ? { pendingSince: at } : {}) };
}

/**
 * Blocking is idempotent. An admin's block overrides any other reason and is
 * never overridden by one: accounts blocked by an admin stay blocked.
 */
export async function blockUser(id: string, reason: BlockedReason = 'admin', directory?: string): Promise<User> {
  return (await changeUser(id, (user, at) => blockedFor(user, reason, at), directory))!;
}

/**
 * A directory lists again a user it had deactivated: the user joins the back of the waiting list.
 * Decided on the user as written, not as the caller last read it, so a user an admin has since
 * unblocked or blocked is left as it is. `directory`: the directory that lists it, when it must still manage it.
 */
export async function rejoinWaitingList(id: string, directory?: string): Promise<User> {
  const requeue = (user: User, at: string): User =>
    user.state === 'blocked' && user.blockedReason === 'directory'
      ? { ...user, blockedReason: 'license', pendingSince: at, updatedAt: at }
      : user;
  return (await changeUser(id, requeue, directory))!;
}

/** Takes a seat again; refused with SEAT_LIMIT_REACHED when none is free. */
export async function unblockUser(id: string): Promise<User> {
  return (await changeUser(id, (user, at) => (user.state === 'active' ? user : activated(user, at))))!;
}

/**
 * A directory asks again for a user it had deactivated: it takes a free seat in
 * one write, if the user is still in `area` (the area the caller found a seat
 * nobody waits for). Any other user comes back as it is. SEAT_LIMIT_REACHED when
 * none is free. `directory`: see changeUser.
 */
export async function reactivateUser(id: string, area: string, directory?: string): Promise<User> {
  const reactivate = (user: User, at: string) =>
    user.state === 'blocked' && user.blockedReason === 'directory' && user.area === area ? activated(user, at) : user;
  return (await changeUser(id, reactivate, directory))!;
}

/** Whether `after` takes a seat `before` did not hold (a new one, or one in another area). */
const needsSeat = (before: User, after: User) => (seatDelta(before, after).get(after.area)?.active ?? 0) > 0;

export interface UpdateOptions {
  whenFull?: WhenFull;
  /** See changeUser. */
  directory?: string;
  /** Blocks the user for this reason in the same write (a directory deactivates and edits at once): all or nothing. */
  block?: BlockedReason;
}

/**
 * Applies `changes`. A move (or un-exempting) that needs a seat where none is
 * free is refused, or with `wait` (directories) the user waits for a licence
 * there instead, as a create would; with `queue` it waits even when one is free
 * (the caller saw others waiting there). A user blocked in the same write needs no seat.
 *
 * A user waiting for a licence that moves arrives in its new area as a create
 * would: it takes a free seat there, else it waits at the back of that area's
 * list. Made exempt, it needs no licence and stops waiting.
 */
export async function updateUser(id: string, changes: UserChanges, options: UpdateOptions = {}): Promise<User> {
  const { whenFull = 'refuse', directory, block } = options;
  const apply = (user: User, at: string): User => {
    const next: User = { ...user };
    for (const [key, value] of Object.entries(changes) as [keyof UserChanges, unknown][]) {
      if (value !== undefined) Object.assign(next, { [key]: typeof value === 'string' ? value.trim() : value });
    }
    const changed = (Object.keys(changes) as (keyof UserChanges)[]).some((key) => JSON.stringify(next[key]) !== JSON.stringify(user[key]));
    const stopsWaiting = next.blockedReason === 'license' && (next.exempt || next.area !== user.area);
    const edited = !changed ? user : stopsWaiting ? activated(next, at) : { ...next, updatedAt: at };
    return block ? blockedFor(edited, block, at) : edited;
  };
  try {
    return (await changeUser(
      id,
      (user, at) => {
        const next = apply(user, at);
        return whenFull === 'queue' && needsSeat(user, next) ? blockedFor(next, 'license', at) : next;
      },
      directory,
    ))!;
  } catch (error) {
    if (!hasErrorCode(error, 'SEAT_LIMIT_REACHED')) throw error;
    // Decided again on the user as it is now: one blocked or made exempt since needs no seat and is changed as asked.
    return (await changeUser(
      id,
      (user, at) => {
        const next = apply(user, at);
        if (!needsSeat(user, next)) return next;
        if (whenFull === 'refuse' && user.blockedReason !== 'license') throw error;
        return blockedFor(next, 'license', at);
      },
      directory,
    ))!;
  }
}

/** `directory`: see changeUser. */
export async function deleteUser(id: string, directory?: string): Promise<void> {
  await changeUser(id, () => null, directory);
}

export interface ListUsersQuery {
  /** Exact match, any letter case: at most one user. */
  email?: string;
  area?: string;
  state?: UserState;
  limit: number;
  cursor?: string;
}

/**
 * Users of one area (or of every area, area by area): active ones by creation,
 * then blocked ones by reason: the waiting list in its order, the others by last change (user.ts areaStateKey).
 * Reads the area index page by page; never scans.
 */
export async function listUsers(query: ListUsersQuery): Promise<{ items: User[]; nextCursor: string | null }> {
  if (query.email) {
    // An email lookup has one page; a cursor belongs to a listing.
    if (query.cursor) throw invalidCursor('belongs to a different query');
    const user = await findUserByEmail(query.email);
    const matches = user && (!query.area || user.area === query.area) && (!query.state || user.state === query.state);
    return { items: matches ? [user] : [], nextCursor: null };
  }
  const listing = `users?area=${query.area ?? ''}&state=${query.state ?? ''}`;
  const start = query.cursor ? decodePosition(query.cursor, listing) : undefined;
  const areas = await areasToRead(query.area);
  const { items, next } = await pageOfAreas(areas, query.state ? { prefix: areaStatePrefix(query.state) } : {}, query.limit, start);
  return { items: items.map((item) => fromItem(item).user), nextCursor: next ? encodeCursor(next, listing) : null };
}
