/**
 * The phases of a directory sync run between checking the file and creating
 * its new users:
 * 1. users of the directory the file marks disabled are blocked (reason "directory"): active ones
 *    free their seats, waiting ones stop waiting; (optional) users it leaves out are blocked too;
 * 2. users of the directory the file lists that wait for a licence — blocked with reason
 *    "license", or reason "directory" and listed again (they take a free seat nobody waits
 *    for, else rejoin the waiting list: core relistUser) — are activated oldest first while
 *    seats are free. Users of other directories (or of none) are left as they are:
 *    ListedUsers keeps only this directory's blocked users.
 * New users come after (rowWriter): they are newer than everyone already waiting,
 * so in an area where anyone still waits they queue behind.
 * Every write goes through core (blockUser, activateWaiting): one user or one chunk per transaction.
 */
import { hasErrorCode } from '#core/errors.ts';
import { blockUser } from '#core/people.ts';
import { emailKey, type User } from '#core/user.ts';
import { readAreas } from '#core/seatCounter.ts';
import { activateWaiting, relistUser } from '#core/waitingList.ts';
import { logger } from '#commons/logger.ts';
import { blockedByEarlierAttempt, usersOfDirectory, type ListedUsers } from './existingUsers.ts';
import type { JobLease } from './jobLease.ts';
import type { EmailsSeen } from './rowValidation.ts';

export interface BlockedUser {
  id: string;
  email: string;
  /** Not blocked after all: the account is exempt, and a directory may not block it (core EXEMPT_ACCOUNT). Reported, left as it is. */
  exempt?: true;
}

/**
 * Records `user` as blocked by the directory once `block` has written it so; a user gone meanwhile
 * has nothing to block. The writes pass the directory: a user another directory has taken over since
 * it was read is not this run's. An exempt account is recorded as such, unchanged.
 */
async function blockForDirectory(user: BlockedUser, blocked: Map<string, BlockedUser>, block: () => Promise<User>): Promise<void> {
  try {
    const after = await block();
    if (after.blockedReason === 'directory') blocked.set(emailKey(user.email), { id: user.id, email: user.email });
  } catch (error) {
    if (hasErrorCode(error, 'EXEMPT_ACCOUNT')) blocked.set(emailKey(user.email), { id: user.id, email: user.email, exempt: true });
    // Deleted meanwhile: nothing to block.
    else if (!hasErrorCode(error, 'USER_NOT_FOUND')) throw error;
  }
}

/** Blocks the directory's users that `seen` does not list as enabled; returns them by lower-cased email. */
export async function blockAbsentUsers(
  directory: string,
  areas: readonly string[],
  seen: EmailsSeen,
  lease: Pick<JobLease, 'check' | 'mayBeEarlierAttempt'>,
): Promise<Map<string, BlockedUser>> {
  const blocked = new Map<string, BlockedUser>();
  // A file that names nobody (no row with a valid address, such as an export template's example
  // row alone) is no list of the directory's people: it would block them all.
  if (seen.size === 0) {
    logger.warn('sync file names nobody; absent users are not blocked', { directory });
    return blocked;
  }
  for (const area of areas) {
    for await (const user of usersOfDirectory(area, directory)) {
      if (seen.listsEnabled(emailKey(user.email))) continue;
      if (blockedByEarlierAttempt(user, directory, lease)) {
        blocked.set(emailKey(user.email), { id: user.id, email: user.email });
        continue;
      }
      if (user.state === 'blocked' && (user.blockedReason === 'admin' || user.blockedReason === 'directory')) continue;
      await blockForDirectory(user, blocked, () => blockUser(user.id, 'directory', directory));
      lease.check();
    }
  }
  logger.info('sync blocked absent users', { directory, blocked: blocked.size });
  return blocked;
}

/**
 * The directory's users the file marks disabled follow it (DESIGN §1): blocked with reason directory,
 * whether or not absent users are blocked — an active one frees its seat, a waiting one is never given one,
 * as SCIM's `active: false` does. Users an admin blocked stay as they are (blockUser keeps their reason).
 */
export async function blockDisabledUsers(listed: ListedUsers, lease: Pick<JobLease, 'check'>): Promise<Map<string, BlockedUser>> {
  const blocked = new Map<string, BlockedUser>();
  for (const user of listed.disabled) {
    await blockForDirectory(user, blocked, () => blockUser(user.id, 'directory', listed.directory));
    lease.check();
  }
  if (blocked.size) logger.info('sync blocked disabled users', { directory: listed.directory, blocked: blocked.size });
  return blocked;
}

export interface Activation {
  activated: Set<string>;
  /** Areas where anyone still waits: new users there queue behind them. */
  waitingAreas: Set<string>;
}

/** Activates the listed users who wait for a licence, oldest first, area by area. */
export async function activateListedUsers(listed: ListedUsers, lease: Pick<JobLease, 'check'>): Promise<Activation> {
  const waiting = new Map<string, Set<string>>();
  const add = (area: string, id: string) => {
    if (!waiting.has(area)) waiting.set(area, new Set());
    waiting.get(area)!.add(id);
  };
  const activated = new Set<string>();
  for (const [id, user] of listed.blocked) {
    if (user.reason === 'license') add(user.area, id);
    else {
      // The directory lists it again (DESIGN §1, sync re-activation).
      const relisted = await relistUser({ id, area: user.area, state: 'blocked', blockedReason: user.reason }, listed.directory).catch(
        (error: unknown) => {
          if (hasErrorCode(error, 'USER_NOT_FOUND')) return undefined;
          throw error;
        },
      );
      if (relisted?.state === 'active') activated.add(id);
      else if (relisted?.blockedReason === 'license') {
        user.reason = 'license';
        add(user.area, id);
      }
      lease.check();
    }
  }

  for (const [area, ids] of waiting) {
    const result = await activateWaiting(area, (user) => ids.has(user.id));
    for (const user of result.activated) activated.add(user.id);
    lease.check();
  }
  // Seats freed while others wait are theirs: the scheduled activation run serves them, oldest
  // first, and this file's new users queue behind them.
  const waitingAreas = new Set((await readAreas()).filter((seats) => seats.pending > 0).map((seats) => seats.area));
  logger.info('sync activated listed users', { activated: activated.size, areasWaiting: waitingAreas.size });
  return { activated, waitingAreas };
}
