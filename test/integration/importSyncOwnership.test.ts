/**
 * A directory sync run changes the state of its own directory's users only
 * (DESIGN §1: accounts the directory deactivated follow the directory). Users
 * of another directory, or of none, that the file lists are reported `exists`
 * and left exactly as they are, whatever their state.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockUser, createUser, getUser } from '#core/people.ts';
import { readArea } from '#core/seatCounter.ts';
import { freshArea, uniqueEmail, expectInvariant } from '../support/seats.ts';
import { csv, importFile, keyIn, readReport } from './importKit.ts';

const directory = () => `dir-${randomUUID().slice(0, 8)}`;
const syncFile = (area: string, people: string[]) => csv([['userPrincipalName', 'area'], ...people.map((email) => [email, area])]);

describe('a sync run and users that are not its directory’s', () => {
  it('leaves users another directory deactivated, or left waiting, as they are; its own follow it', async () => {
    const area = await freshArea(5);
    const [okta, entra] = [directory(), directory()];
    const user = async (email: string, source: 'sync' | 'api', dir?: string, blocked?: 'directory' | 'license' | 'admin') => {
      const created = await createUser({ email, area, source, ...(dir ? { directory: dir } : {}) });
      return blocked ? blockUser(created.id, blocked) : created;
    };
    const [deactivatedByOkta, waitingForOkta, activeOfOkta, adminBlockedOfOkta, apiBlocked, ownDeactivated] = [1, 2, 3, 4, 5, 6].map(() => uniqueEmail());
    const users = [
      await user(deactivatedByOkta!, 'sync', okta, 'directory'),
      await user(waitingForOkta!, 'sync', okta, 'license'),
      await user(activeOfOkta!, 'sync', okta),
      await user(adminBlockedOfOkta!, 'sync', okta, 'admin'),
      await user(apiBlocked!, 'api', undefined, 'license'),
      await user(ownDeactivated!, 'sync', entra, 'directory'),
    ];
    const before = await readArea(area);
    expect(before).toMatchObject({ active: 1, pending: 2 });

    const key = keyIn(`sync/${entra}`);
    const run = await importFile(key, syncFile(area, users.map((u) => u.email)));
    const report = Object.fromEntries((await readReport(key)).map((r) => [r.email, `${r.outcome}/${r.reason}`]));
    expect(report).toEqual({
      [deactivatedByOkta!]: 'exists/OTHER_DIRECTORY',
      [waitingForOkta!]: 'exists/OTHER_DIRECTORY',
      [activeOfOkta!]: 'exists/ALREADY_EXISTS',
      [adminBlockedOfOkta!]: 'exists/BLOCKED_BY_ADMIN',
      [apiBlocked!]: 'exists/OTHER_DIRECTORY',
      // Its own deactivated user is listed again: it follows the directory back (a seat is free).
      [ownDeactivated!]: 'activated/',
    });
    expect(run.counts).toMatchObject({ rows: 6, activated: 1, skippedExisting: 5 });
    for (const [i, before] of users.slice(0, 5).entries()) {
      expect(await getUser(before.id), users[i]!.email).toMatchObject({ state: before.state, ...(before.blockedReason ? { blockedReason: before.blockedReason } : {}) });
    }
    expect(await getUser(users[5]!.id)).toMatchObject({ state: 'active' });
    await expectInvariant(area);
  });
});
