/**
 * Read-only lookups a sync run needs, batched: who already exists (email
 * guards, then users: two BatchGetItem requests per 100 rows), and which
 * users came from a directory (for blocking those a file leaves out).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { backoffMs } from '#commons/backoff.ts';
import { areaItems } from '#core/areaIndex.ts';
import { tableName } from '#core/tables.ts';
import { emailGuardKey, type BlockedReason, type UserState } from '#core/user.ts';
import type { JobLease } from './jobLease.ts';

/** What a sync needs to know about a user: how it stands, not who it is. */
export interface ExistingUser {
  id: string;
  area: string;
  state: UserState;
  blockedReason?: BlockedReason;
  directory?: string;
  updatedAt: string;
}

/** BatchGetItem's limit. */
export const LOOKUP_BATCH = 100;

/** BatchGetItem with its unprocessed keys retried (throttling returns them rather than failing). */
async function batchGet(
  keys: Record<string, string>[],
  projection: string,
  names?: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt, { baseMs: 50, capMs: 2000 }));
    const { Responses, UnprocessedKeys } = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName('users')]: { Keys: pending, ConsistentRead: true, ProjectionExpression: projection, ExpressionAttributeNames: names },
        },
      }),
    );
    items.push(...(Responses?.[tableName('users')] ?? []));
    pending = (UnprocessedKeys?.[tableName('users')]?.Keys ?? []) as Record<string, string>[];
  }
  return items;
}

const USER_PROJECTION = {
  projection: 'pk, area, #state, blockedReason, #directory, updatedAt',
  names: { '#state': 'state', '#directory': 'directory' },
};

function toExisting(item: Record<string, unknown>): ExistingUser {
  return {
    id: String(item.pk),
    area: String(item.area),
    state: item.state as UserState,
    ...(item.blockedReason ? { blockedReason: item.blockedReason as BlockedReason } : {}),
    ...(item.directory ? { directory: item.directory as string } : {}),
    updatedAt: String(item.updatedAt),
  };
}

/**
 * A user `directory` blocked (absent or disabled) since this job's first attempt began: on a
 * retry, most likely that attempt's work, which the redone run reports as its own.
 */
export const blockedByEarlierAttempt = (user: ExistingUser, directory: string, lease: Pick<JobLease, 'mayBeEarlierAttempt'>): boolean =>
  user.state === 'blocked' &&
  user.blockedReason === 'directory' &&
  user.directory === directory &&
  lease.mayBeEarlierAttempt(Date.parse(user.updatedAt));

/** Users by lower-cased email, for at most LOOKUP_BATCH emails: the guards name the ids, then the users are read. */
export async function findUsersByEmail(keys: readonly string[]): Promise<Map<string, ExistingUser>> {
  if (keys.length > LOOKUP_BATCH) throw new Error(`findUsersByEmail: at most ${LOOKUP_BATCH} emails per call`);
  const found = new Map<string, ExistingUser>();
  if (keys.length === 0) return found;
  const guards = await batchGet(
    keys.map((key) => ({ pk: emailGuardKey(key) })),
    'pk, userId',
  );
  // Keyed by the caller's own strings (not copies from the response): a 200,000-row sync holds each email once.
  const keyOfGuard = new Map(keys.map((key) => [emailGuardKey(key), key]));
  const emailOf = new Map(guards.map((guard) => [String(guard.userId), keyOfGuard.get(String(guard.pk))!]));
  if (emailOf.size === 0) return found;
  const users = await batchGet(
    [...emailOf.keys()].map((id) => ({ pk: id })),
    USER_PROJECTION.projection,
    USER_PROJECTION.names,
  );
  for (const item of users) {
    const key = emailOf.get(String(item.pk));
    if (key !== undefined) found.set(key, toExisting(item));
  }
  return found;
}

/** Every user a directory created in `area` (the area index, filtered: a sync file is read at most once per run). */
export async function* usersOfDirectory(area: string, directory: string): AsyncGenerator<ExistingUser & { email: string }> {
  const items = areaItems([area], {
    filter: { expression: '#directory = :directory', names: { '#directory': 'directory' }, values: { ':directory': directory } },
    projection: { expression: `${USER_PROJECTION.projection}, email`, names: USER_PROJECTION.names },
  });
  for await (const item of items) yield { ...toExisting(item), email: String(item.email) };
}

/**
 * How a listed user stands, as the sync phases and the report need it. A sync
 * changes the state of its own directory's users only (DESIGN §1): a user of
 * another directory, or of none, that waits or that its directory deactivated is `other`.
 */
export type ListedState = 'active' | 'license' | 'directory' | 'admin' | 'other';

const CODE: Record<ListedState, string> = { active: 'A', license: 'L', directory: 'D', admin: 'B', other: 'O' };
const STATE: Record<string, ListedState> = { A: 'active', L: 'license', D: 'directory', B: 'admin', O: 'other' };

function listedState(user: ExistingUser, directory: string): ListedState {
  if (user.state === 'active') return 'active';
  if (user.blockedReason !== 'license' && user.blockedReason !== 'directory') return 'admin';
  return user.directory === directory ? user.blockedReason : 'other';
}

/**
 * The users a sync file lists that already exist, compactly: one short string
 * (state code + id) per email, about 60 bytes, since in the daily steady state
 * that is every row. Blocked ones of this directory the sync may activate are also kept with their area.
 */
export class ListedUsers {
  private readonly byEmail = new Map<string, string>();
  /** This directory's waiting (reason license) or directory-blocked users, by id, in file order: the activation phase's input. */
  readonly blocked = new Map<string, { area: string; reason: 'license' | 'directory' }>();

  /** This directory's active or waiting users the file marks disabled, in file order (`email` lower-cased). */
  readonly disabled: { id: string; email: string }[] = [];

  /** `directory`: the sync run's; only its users' states are the run's to change. */
  constructor(
    readonly directory: string,
    private readonly lease: Pick<JobLease, 'mayBeEarlierAttempt'>,
  ) {}

  /**
   * A user the file lists as disabled: kept when it is this directory's and active or waiting (the
   * run blocks it), or blocked by an earlier attempt of this job (blocking it again changes nothing).
   */
  addDisabled(key: string, user: ExistingUser): void {
    if (user.directory !== this.directory) return;
    if (user.state === 'active' || user.blockedReason === 'license' || blockedByEarlierAttempt(user, this.directory, this.lease)) {
      this.disabled.push({ id: user.id, email: key });
    }
  }

  add(key: string, user: ExistingUser): void {
    const state = listedState(user, this.directory);
    this.byEmail.set(key, CODE[state] + user.id);
    if (state === 'license' || state === 'directory') this.blocked.set(user.id, { area: user.area, reason: state });
  }

  /** The listed user for an email, once: the entry is freed as the second pass goes. */
  take(key: string): { id: string; state: ListedState | 'rejoined' } | undefined {
    const entry = this.byEmail.get(key);
    if (entry === undefined) return undefined;
    this.byEmail.delete(key);
    const id = entry.slice(1);
    const state = STATE[entry[0]!]!;
    // A directory-blocked user the activation phase put back on the waiting list.
    return { id, state: state === 'directory' && this.blocked.get(id)?.reason === 'license' ? 'rejoined' : state };
  }

  get size(): number {
    return this.byEmail.size;
  }
}
