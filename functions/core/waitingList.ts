/**
 * The licence waiting list: users blocked with reason "license", per area, in
 * arrival order (the byArea index under "blocked#license#<since>#<id>").
 * Activation takes the oldest first while seats are free: the intranet's
 * "next sync" for CSV sync runs, the scheduled run and POST /pending/activate.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs } from '#commons/backoff.ts';
import { areasToRead, pageOfAreas, type IndexKey } from './areaIndex.ts';
import { counterStep, readArea, readAreas, recordRefusals } from './seatCounter.ts';
import { tableName } from './tables.ts';
import { sendTransaction, withRetries, type TransactItem } from './transaction.ts';
import { WAITING_PREFIX, ZERO_COUNTS, activated, addCounts, areaStateKey, fromItem, seatDelta, toItem, type User } from './user.ts';
import { USERS_PER_TRANSACTION } from './bulk.ts';
import { hasErrorCode } from './errors.ts';
import { createUser, getUser, reactivateUser, rejoinWaitingList, type NewUser } from './people.ts';

type Waiting = { user: User; version: number };

interface WaitingPage {
  users: Waiting[];
  nextKey?: IndexKey;
}

async function readWaiting(area: string, limit: number, startKey?: IndexKey): Promise<WaitingPage> {
  const { items, next } = await pageOfAreas([area], { prefix: WAITING_PREFIX }, limit, startKey && { area, key: startKey });
  return { users: items.map(fromItem), nextKey: next?.key };
}

/** Users waiting in `area`, oldest first, paged by the caller through `startKey`. */
export async function listWaiting(area: string, options: { limit: number; startKey?: IndexKey }) {
  const [known] = await areasToRead(area);
  const { users, nextKey } = await readWaiting(known!, options.limit, options.startKey);
  return { users: users.map((u) => u.user), nextKey };
}

/** Rounds in a row that activate nobody (the list read was stale) before a run stops: about 1.5 s of pauses. */
const STALE_LIST_ROUNDS = 5;

export interface ActivationResult {
  area: string;
  activated: User[];
  /** Free seats in the area as last read, after the last activation (0 when the area does not exist). */
  available: number;
}

/**
 * Activates the oldest waiting users of `area` while seats are free. `only`
 * restricts it to users a sync run saw in its file (others keep their place).
 * Each chunk is one transaction: the users (each conditional on the version
 * read, so a concurrent admin block wins) and the seats they take.
 */
export async function activateWaiting(area: string, only?: (user: User) => boolean): Promise<ActivationResult> {
  const activated: User[] = [];
  let available: number;
  let startKey: IndexKey | undefined;
  const activatedIds = new Set<string>();
  let fruitless = 0;
  for (;;) {
    const seats = await readArea(area);
    available = seats?.available ?? 0;
    if (!seats || seats.available <= 0) break;
    const page = await readWaiting(area, 100, startKey);
    // The index lags the table for a moment: it may still list users this run has activated.
    const candidates = page.users.filter(({ user }) => !activatedIds.has(user.id) && (!only || only(user)));
    if (candidates.length === 0) {
      if (!page.nextKey) break;
      startKey = page.nextKey;
      continue;
    }
    const chunk = candidates.slice(0, Math.min(seats.available, USERS_PER_TRANSACTION));
    const done = await activateChunk(area, chunk, only);
    activated.push(...done);
    done.forEach((user) => activatedIds.add(user.id));
    if (done.length > 0) {
      fruitless = 0;
      continue;
    }
    // Every candidate left the list since it was read (blocked, deleted, activated elsewhere): read it
    // again from the start once the index has caught up, and leave the rest to the next run if it does not.
    if (++fruitless >= STALE_LIST_ROUNDS) break;
    startKey = undefined;
    await sleep(backoffMs(fruitless, { baseMs: 50, jitter: false }));
  }
  return { area, activated, available };
}

/** Activates as many of `chunk` (oldest first) as seats allow; returns the activated users. */
async function activateChunk(area: string, chunk: Waiting[], only?: (user: User) => boolean): Promise<User[]> {
  let open = chunk;
  let available = chunk.length;
  while (open.length > 0 && available > 0) {
    const take = open.slice(0, available);
    const at = new Date().toISOString();
    const next = take.map(({ user }) => activated(user, at));
    const items: TransactItem[] = take.map(({ version }, i) => ({
      Put: {
        TableName: tableName('users'),
        Item: toItem(next[i]!, version + 1),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': version },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    }));
    const counts = take.reduce((sum, { user }, i) => addCounts(sum, seatDelta(user, next[i]).get(area) ?? ZERO_COUNTS), { ...ZERO_COUNTS });
    items.push(counterStep(area, counts).write);
    const reasons = await withRetries(() => sendTransaction(items));
    if (!reasons) return next;
    // A changed user still waiting in its place (renamed, say) keeps that place with its new version, so
    // nobody younger passes it; one that left the list (blocked, deleted, activated elsewhere) or moved in it drops out.
    open = open.flatMap((entry, i) => {
      const reason = reasons[i];
      if (i >= take.length || reason?.code !== 'ConditionalCheckFailed') return [entry];
      const now = reason.item && fromItem(reason.item);
      const stillInPlace =
        now && now.user.area === area && areaStateKey(now.user) === areaStateKey(entry.user) && (!only || only(now.user));
      return stillInPlace ? [now] : [];
    });
    const counter = reasons[items.length - 1];
    if (counter?.code === 'ConditionalCheckFailed') available = Number(counter.item?.available ?? 0);
  }
  return [];
}

/** The scheduled activation run: every area with someone waiting and a seat free. */
export async function activateWaitingEverywhere(): Promise<ActivationResult[]> {
  const areas = (await readAreas()).filter((a) => a.pending > 0 && a.available > 0);
  const results: ActivationResult[] = [];
  for (const { area } of areas) results.push(await activateWaiting(area));
  return results;
}

/** The user as the caller last read it: it picks the way; the write decides on the user as written. */
type KnownUser = Pick<User, 'id' | 'area' | 'state' | 'blockedReason'>;

/**
 * A directory lists again a user it had deactivated: it takes a free seat
 * nobody waits for, else it joins the back of the waiting list. Any other user
 * comes back as it is. `directory`: the directory that lists it, when it must still manage it.
 */
export async function relistUser(known: KnownUser, directory?: string): Promise<User> {
  const { id } = known;
  if (known.state === 'blocked' && known.blockedReason === 'directory') {
    // Passing through the waiting list would be two writes, and its pending 0 → 1 would email
    // every People admin about nobody. (One that starts waiting between this read and the write
    // arrived at the same moment: either order is fair.)
    const seats = await readArea(known.area);
    if (seats && seats.pending === 0 && seats.available > 0) {
      // Moved to another area since it was read: that area's list was not looked at, so it queues there.
      const user = await reactivateUser(id, known.area, directory).catch((error: unknown) => {
        if (hasErrorCode(error, 'SEAT_LIMIT_REACHED')) return undefined;
        throw error;
      });
      if (user?.state === 'active') return user;
    }
  }
  return rejoinWaitingList(id, directory);
}

/**
 * A directory says this user should be active (SCIM `active: true`). An admin's
 * block stands. A user the directory had deactivated is listed again (relistUser);
 * then the waiting list moves, oldest first.
 */
export async function requestActivation(known: KnownUser): Promise<User> {
  const user = await relistUser(known);
  if (user.state === 'active' || user.blockedReason === 'admin') return user;
  return awaitTurn(user);
}

/** A user that has just joined its area's waiting list: the list moves, oldest first; the user as it then stands. */
export async function awaitTurn(user: Pick<User, 'id' | 'area'>): Promise<User> {
  await activateWaiting(user.area);
  return getUser(user.id);
}

/**
 * A directory's new account that should be active (SCIM create). A seat freed
 * while others wait is theirs: with someone waiting, the account joins the back
 * of the list and the list moves, oldest first (a seat freed between the read
 * and the create goes to the oldest too). Else it takes a free seat, or waits
 * when none is free. (One that starts waiting between the read and the write
 * arrived at the same moment: either order is fair.)
 */
export async function createInTurn(input: NewUser): Promise<User> {
  const seats = await readArea(input.area);
  if (!seats || seats.pending === 0) return createUser(input, 'wait');
  const waiting = await createUser({ ...input, blocked: 'license' });
  // It waits for want of a seat, as a create into a full area does: counted the same way.
  if (seats.available === 0) await recordRefusals(input.area);
  return awaitTurn(waiting);
}
