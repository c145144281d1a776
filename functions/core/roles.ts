/**
 * The administrators' roles and who may do what (DESIGN §8). A role is an exact element
 * of the groups in the caller's token, never a substring of one. The route handlers
 * check these rules, the manifest lists them per route, and the stack creates a user
 * pool group per role with its description.
 */
export const PEOPLE_ADMIN = 'people-admin';
export const LICENSE_ADMIN = 'license-admin';

/** Every role, with what it may do. */
export const ROLES = {
  [PEOPLE_ADMIN]: 'Manages people: create, block, unblock, move and delete users.',
  [LICENSE_ADMIN]: 'Manages licence limits, seat transfers and exempt accounts.',
} as const;

export type Role = keyof typeof ROLES;

/** Who may call a route: a caller holding any one of the listed roles, or (`allOf`) only one holding every one of them. */
export type RoleRule = readonly Role[] | { readonly allOf: readonly Role[] };

export const PEOPLE_ADMINS: RoleRule = [PEOPLE_ADMIN];
export const LICENSE_ADMINS: RoleRule = [LICENSE_ADMIN];
/** The figures both administer: the summary and the licence. */
export const ANY_ADMIN: RoleRule = [PEOPLE_ADMIN, LICENSE_ADMIN];
/** A SCIM token lists, creates and deletes people: issuing, listing or revoking one needs both roles. */
export const SCIM_TOKEN_ADMINS: RoleRule = { allOf: [PEOPLE_ADMIN, LICENSE_ADMIN] };

/** Whether a caller with `groups` satisfies `rule`. */
export const satisfiesRule = (groups: readonly string[], rule: RoleRule): boolean =>
  'allOf' in rule ? rule.allOf.every((role) => groups.includes(role)) : rule.some((role) => groups.includes(role));

/** Why a caller that does not satisfy `rule` is refused, in words. */
export const ruleRefusal = (rule: RoleRule): string =>
  'allOf' in rule ? `This action needs both the ${rule.allOf.join(' and ')} roles.` : `This action needs the ${rule.join(' or ')} role.`;
