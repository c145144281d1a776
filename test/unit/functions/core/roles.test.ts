/** Who may do what (functions/core/roles.ts): a role is an exact group; a rule wants any one of its roles, or all of them. */
import { describe, expect, it } from 'vitest';
import {
  ANY_ADMIN,
  LICENSE_ADMINS,
  PEOPLE_ADMINS,
  ROLES,
  SCIM_TOKEN_ADMINS,
  ruleRefusal,
  satisfiesRule,
} from '../../../../functions/core/roles.ts';

describe('role rules', () => {
  it('know two roles, each with what it may do', () => {
    expect(Object.keys(ROLES)).toEqual(['people-admin', 'license-admin']);
  });

  it('want any one of their roles, as an exact group', () => {
    expect(satisfiesRule(['people-admin'], PEOPLE_ADMINS)).toBe(true);
    expect(satisfiesRule(['license-admin'], ANY_ADMIN)).toBe(true);
    expect(satisfiesRule(['people-admin'], LICENSE_ADMINS)).toBe(false);
    expect(satisfiesRule(['People-Admin', 'people-admins', 'readers,people-admin'], PEOPLE_ADMINS)).toBe(false);
    expect(satisfiesRule([], ANY_ADMIN)).toBe(false);
  });

  it('want every role of an allOf rule', () => {
    expect(satisfiesRule(['people-admin', 'license-admin'], SCIM_TOKEN_ADMINS)).toBe(true);
    expect(satisfiesRule(['people-admin'], SCIM_TOKEN_ADMINS)).toBe(false);
  });

  it('say in words what a refused caller lacks', () => {
    expect(ruleRefusal(ANY_ADMIN)).toBe('This action needs the people-admin or license-admin role.');
    expect(ruleRefusal(SCIM_TOKEN_ADMINS)).toBe('This action needs both the people-admin and license-admin roles.');
  });
});
