/**
 * Which users a directory may see and change (functions/core/directoryScope.ts): its own and
 * those no directory manages, never an exempt one it does not own; and never a deactivation or
 * deletion of an exempt account, even its own. The index filter says the same in DynamoDB's words.
 */
import { describe, expect, it } from 'vitest';
import { directoryMayChange, directoryMayManage, visibleTo } from '../../../../functions/core/directoryScope.ts';
import type { User } from '../../../../functions/core/user.ts';
import { aUser } from '../../../support/users.ts';

const user = (fields: Partial<User>) => aUser({ source: 'scim', ...fields });

describe('directoryMayManage', () => {
  it("lets a directory manage its own users and those no directory manages, not another directory's", () => {
    expect(directoryMayManage(user({ directory: 'okta' }), 'okta')).toBe(true);
    expect(directoryMayManage(user({ source: 'api' }), 'okta')).toBe(true);
    expect(directoryMayManage(user({ directory: 'entra' }), 'okta')).toBe(false);
  });

  it("keeps exempt accounts no directory manages out of every directory's reach", () => {
    expect(directoryMayManage(user({ source: 'api', exempt: true }), 'okta')).toBe(false);
    expect(directoryMayManage(user({ directory: 'okta', exempt: true }), 'okta')).toBe(true);
  });

  it('is the rule the index filter states: own directory, or none and not exempt', () => {
    expect(visibleTo('okta')).toEqual({
      expression: '#directory = :directory OR (attribute_not_exists(#directory) AND #exempt = :false)',
      names: { '#directory': 'directory', '#exempt': 'exempt' },
      values: { ':directory': 'okta', ':false': false },
    });
  });
});

describe('directoryMayChange', () => {
  it('never deactivates or deletes an exempt account, but lets the directory edit it', () => {
    const exempt = user({ directory: 'okta', exempt: true });
    expect(directoryMayChange(exempt, { ...exempt, state: 'blocked', blockedReason: 'directory' })).toBe(false);
    expect(directoryMayChange(exempt, null)).toBe(false);
    expect(directoryMayChange(exempt, { ...exempt, name: 'Renamed' })).toBe(true);
    // Already blocked: blocking it again takes nothing away.
    const blocked = { ...exempt, state: 'blocked' as const, blockedReason: 'admin' as const };
    expect(directoryMayChange(blocked, blocked)).toBe(true);
  });

  it('lets a directory deactivate or delete any other account it manages', () => {
    const own = user({ directory: 'okta' });
    expect(directoryMayChange(own, { ...own, state: 'blocked', blockedReason: 'directory' })).toBe(true);
    expect(directoryMayChange(own, null)).toBe(true);
  });
});
