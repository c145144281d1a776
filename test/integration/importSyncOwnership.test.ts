/**
 * A directory sync run changes the state of its own directory's users only
 * (DESIGN §1: accounts the directory deactivated follow the directory). Users
 * of another directory, or of none, that the file lists are reported `exists`
 * and left exactly as they are, whatever their state.
 */
import { describe, expect, it } from 'vitest';
import { blockUser, createUser, getUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, expectInvariant } from '../support/seats.ts';
import { directory, emails, importFile, keyIn, outcomes, syncFile } from './importKit.ts';

describe('a sync run and users that are not its directory’s', () => {
  it('leaves users another directory deactivated, or left waiting, as they are; its own follow it', async () => {
    const area = await freshArea(5);
    const [okta, entra] = [directory(), directory()];
    const user = async (email: string, source: 'sync' | 'api', dir?: string, blocked?: 'directory' | 'license' | 'admin') => {
      const created = await createUser({ email, area, source, ...(dir ? { directory: dir } : {}) });
      return blocked ? blockUser(created.id, blocked) : created;
    };
    const [deactivatedByOkta, waitingForOkta, activeOfOkta, adminBlockedOfOkta, apiBlocked, ownDeactivated] = emails(6);
    const users = [
      await user(deactivatedByOkta!, 'sync', okta, 'directory'),
      await user(waitingForOkta!, 'sync', okta, 'license'),
      await user(activeOfOkta!, 'sync', okta),
      await user(adminBlockedOfOkta!, 'sync', okta, 'admin'),
      await user(apiBlocked!, 'api', undefined, 'license'),
      await user(ownDeactivated!, 'sync', entra, 'directory'),
    ];
    expect(await readArea(area)).toMatchObject({ active: 1, pending: 2 });

    const key = keyIn(`sync/${entra}`);
    const run = await importFile(
      key,
      syncFile(
        area,
        users.map((u) => u.email),
      ),
    );
    expect(await outcomes(key)).toEqual({
      [deactivatedByOkta!]: 'exists/OTHER_DIRECTORY',
      [waitingForOkta!]: 'exists/OTHER_DIRECTORY',
      [activeOfOkta!]: 'exists/ALREADY_EXISTS',
      [adminBlockedOfOkta!]: 'exists/BLOCKED_BY_ADMIN',
      [apiBlocked!]: 'exists/OTHER_DIRECTORY',
      // Its own deactivated user is listed again: it follows the directory back (a seat is free).
      [ownDeactivated!]: 'activated',
    });
    expect(run.counts).toMatchObject({ rows: 6, activated: 1, skippedExisting: 5 });
    for (const other of users.slice(0, 5)) {
      expect(await getUser(other.id), other.email).toMatchObject({
        state: other.state,
        ...(other.blockedReason ? { blockedReason: other.blockedReason } : {}),
      });
    }
    expect(await getUser(users[5]!.id)).toMatchObject({ state: 'active' });
    await expectInvariant(area);
  });
});
