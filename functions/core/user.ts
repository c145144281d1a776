/** The user as the API shows it, the item that stores it, and the seats it takes. */
import { PEOPLE_ADMIN } from './roles.ts';

export const USER_STATES = ['active', 'blocked'] as const;
export const BLOCKED_REASONS = ['admin', 'license', 'directory'] as const;
export const USER_SOURCES = ['api', 'csv', 'sync', 'scim'] as const;
/** The intranet's own area: listed first, and the area of a user whose request names none. */
export const PRIMARY_AREA = 'primary';

export type UserState = (typeof USER_STATES)[number];
export type BlockedReason = (typeof BLOCKED_REASONS)[number];
export type UserSource = (typeof USER_SOURCES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  area: string;
  state: UserState;
  blockedReason?: BlockedReason;
  exempt: boolean;
  roles: string[];
  source: UserSource;
  /** Directory a synced user came from (e.g. "okta"); absent for API users. */
  directory?: string;
  /** The directory's own id for the user (SCIM externalId). */
  externalId?: string;
  givenName?: string;
  familyName?: string;
  createdAt: string;
  updatedAt: string;
  /** When the user joined the licence waiting list (blocked with reason "license"). */
  pendingSince?: string;
}

/** What DynamoDB stores: the user plus keys and the optimistic-lock version. */
export interface UserItem extends User {
  pk: string;
  emailKey: string;
  areaStateKey: string;
  peopleAdmin?: 'Y';
  version: number;
}

export const emailKey = (email: string) => email.trim().toLowerCase();
export const emailGuardKey = (email: string) => `email#${emailKey(email)}`;

export function toItem(user: User, version: number): UserItem {
  return {
    ...user,
    pk: user.id,
    emailKey: emailKey(user.email),
    areaStateKey: areaStateKey(user),
    peopleAdmin: user.roles.includes(PEOPLE_ADMIN) ? 'Y' : undefined,
    // An index key (byExternalId) may not be empty: a cleared id is no attribute at all.
    externalId: user.externalId || undefined,
    version,
  };
}

/** Rebuilds the user field by field, so internal attributes never leak and the order is stable. */
export function fromItem(item: Record<string, unknown>): { user: User; version: number } {
  const stored = item as unknown as UserItem;
  const user: User = {
    id: stored.id,
    email: stored.email,
    name: stored.name,
    area: stored.area,
    state: stored.state,
    ...(stored.blockedReason ? { blockedReason: stored.blockedReason } : {}),
    exempt: stored.exempt,
    roles: stored.roles ?? [],
    source: stored.source,
    ...(stored.directory ? { directory: stored.directory } : {}),
    ...(stored.externalId ? { externalId: stored.externalId } : {}),
    ...(stored.givenName ? { givenName: stored.givenName } : {}),
    ...(stored.familyName ? { familyName: stored.familyName } : {}),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    ...(stored.pendingSince ? { pendingSince: stored.pendingSince } : {}),
  };
  return { user, version: stored.version };
}

/**
 * Sort key inside an area: active users by arrival, blocked users grouped by reason,
 * so "blocked#license#" lists the waiting list oldest first.
 */
export function areaStateKey(user: User): string {
  if (user.state === 'active') return `${areaStatePrefix('active')}${user.createdAt}#${user.id}`;
  const since = user.pendingSince ?? user.updatedAt;
  return `${areaStatePrefix('blocked', user.blockedReason ?? 'admin')}${since}#${user.id}`;
}

/** The key range of one state (and reason) inside an area's index. */
export const areaStatePrefix = (state: UserState, reason?: BlockedReason) => (reason ? `${state}#${reason}#` : `${state}#`);

/** The licence waiting list of an area, oldest first. */
export const WAITING_PREFIX = areaStatePrefix('blocked', 'license');

/** Per-area counters. `active` counts seats taken; the others take none. */
export interface SeatCounts {
  active: number;
  blocked: number;
  pending: number;
  exempt: number;
}

export const ZERO_COUNTS: SeatCounts = { active: 0, blocked: 0, pending: 0, exempt: 0 };

/** The user active again (its seat is decided by the write that stores it). */
export function activated(user: User, at: string): User {
  const { blockedReason: _r, pendingSince: _p, ...rest } = user;
  return { ...rest, state: 'active', updatedAt: at };
}

/**
 * Which counters a user is counted in. Exactly one of active/blocked/exempt,
 * plus pending for the licence waiting list (a subset of blocked).
 */
export function footprint(user: Pick<User, 'state' | 'exempt' | 'blockedReason'>): SeatCounts {
  if (user.state === 'blocked') {
    return { ...ZERO_COUNTS, blocked: 1, pending: user.blockedReason === 'license' ? 1 : 0 };
  }
  return user.exempt ? { ...ZERO_COUNTS, exempt: 1 } : { ...ZERO_COUNTS, active: 1 };
}

/** The counter changes, per area, that turn `before` into `after` (either may be absent). */
export function seatDelta(before: User | undefined, after: User | undefined): Map<string, SeatCounts> {
  const deltas = new Map<string, SeatCounts>();
  const add = (user: User | undefined, sign: 1 | -1) => {
    if (!user) return;
    const current = deltas.get(user.area) ?? { ...ZERO_COUNTS };
    const counts = footprint(user);
    for (const key of Object.keys(counts) as (keyof SeatCounts)[]) current[key] += sign * counts[key];
    deltas.set(user.area, current);
  };
  add(before, -1);
  add(after, 1);
  for (const [area, delta] of deltas) {
    if (Object.values(delta).every((n) => n === 0)) deltas.delete(area);
  }
  return deltas;
}

export function addCounts(a: SeatCounts, b: SeatCounts): SeatCounts {
  return {
    active: a.active + b.active,
    blocked: a.blocked + b.blocked,
    pending: a.pending + b.pending,
    exempt: a.exempt + b.exempt,
  };
}
