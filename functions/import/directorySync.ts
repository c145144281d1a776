/**
 * The phases of a directory sync run between checking the file and creating
 * its new users:
 * 1. (optional) users of the directory the file leaves out, or marks disabled, are blocked (reason "directory");
 * 2. users of the directory the file lists that wait for a licence — blocked with reason
 *    "license", or reason "directory" and listed again (they take a free seat nobody waits
 *    for, else rejoin the waiting list: core relistUser) — are activated oldest first while
 *    seats are free. Users of other directories (or of none) are left as they are:
 *    ListedUsers keeps only this directory's blocked users.
 * New users come after (rowWriter): they are newer than everyone already waiting,
 * so they never take a seat ahead of a listed user who waits.
 * Every write goes through core (blockUser, activateWaiting): one user or one chunk per transaction.
 */
import { blockUser, isError } from '#core/people.ts';
import { emailKey } from '#core/user.ts';
import { activateWaiting, relistUser } from '#core/waitingList.ts';
import { logger } from '#commons/logger.ts';
import { usersOfDirectory, type ListedUsers } from './existingUsers.ts';
import type { JobLease } from './importJob.ts';
import type { EmailsSeen } from './rowValidation.ts';

export interface BlockedUser {
  id: string;
  email: string;
}

/** Blocks the directory's users that `seen` does not list as enabled; returns them by lower-cased email. */
export async function blockAbsentUsers(directory: string, areas: readonly string[], seen: EmailsSeen, lease: JobLease): Promise<Map<string, BlockedUser>> {
  const blocked = new Map<string, BlockedUser>();
  for (const area of areas) {
    for await (const user of usersOfDirectory(area, directory)) {
      const key = emailKey(user.email);
      if (seen.listsEnabled(key)) continue;
      if (user.state === 'blocked' && (user.blockedReason === 'admin' || user.blockedReason === 'directory')) continue;
      try {
        // With the directory: if another directory has taken the user over since it was read, it is not this run's.
        const after = await blockUser(user.id, 'directory', directory);
        if (after.blockedReason === 'directory') blocked.set(key, { id: user.id, email: user.email });
      } catch (error) {
        // Deleted meanwhile: nothing to block.
        if (!isError(error, 'USER_NOT_FOUND')) throw error;
      }
      lease.check();
    }
  }
  logger.info('sync blocked absent users', { directory, blocked: blocked.size });
  return blocked;
}

export interface Activation {
  activated: Set<string>;
  /** Areas where a listed user still waits: new users there queue behind them. */
  stillWaiting: Set<string>;
}

/** Activates the listed users who wait for a licence, oldest first, area by area. */
export async function activateListedUsers(listed: ListedUsers, lease: JobLease): Promise<Activation> {
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
      const relisted = await relistUser({ id, area: user.area, state: 'blocked', blockedReason: user.reason }, listed.directory).catch((error: unknown) => {
        if (isError(error, 'USER_NOT_FOUND')) return undefined;
        throw error;
      });
      if (relisted?.state === 'active') activated.add(id);
      else if (relisted?.blockedReason === 'license') {
        user.reason = 'license';
        add(user.area, id);
      }
      lease.check();
    }
  }

  const stillWaiting = new Set<string>();
  for (const [area, ids] of waiting) {
    const result = await activateWaiting(area, (user) => ids.has(user.id));
    for (const user of result.activated) activated.add(user.id);
    // Seats left over mean the rest of `ids` no longer wait (blocked or deleted meanwhile).
    if (result.activated.length < ids.size && result.available <= 0) stillWaiting.add(area);
    lease.check();
  }
  logger.info('sync activated listed users', { activated: activated.size, areasStillWaiting: stillWaiting.size });
  return { activated, stillWaiting };
}
