/**
 * The signed-in session, in memory only: never localStorage or a cookie, so a reload signs out
 * (on AWS the identity provider's own session makes signing in again one redirect).
 */
import { useSyncExternalStore } from 'react';
import { ROLES, type Role } from '../api/types.ts';

export type Claims = Record<string, unknown>;

export interface Session {
  /** The bearer token the API gets. */
  apiToken: string;
  /** Claims to show who is signed in (the ID token's on AWS, the token's own locally). */
  claims: Claims;
  /** When apiToken expires, ms since the epoch. */
  expiresAt: number;
  /** A new session from the refresh token, if there is one. */
  refresh?: () => Promise<Session>;
  /** Where signing out ends the identity provider's session too. */
  signOutUrl?: string;
}

export type SignedOutReason = 'expired' | 'signed-out' | 'error';

type State = { session: Session } | { session?: undefined; reason?: SignedOutReason; message?: string };

let state: State = {};
const listeners = new Set<() => void>();

function set(next: State): void {
  state = next;
  for (const listener of listeners) listener();
}

export const startSession = (session: Session) => set({ session });
export const endSession = (reason: SignedOutReason, message?: string) => set({ reason, ...(message ? { message } : {}) });

export function useSession(): State {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Refresh this long before expiry, so no request goes out with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;
let refreshing: Promise<Session> | undefined;

/** The token to send now: refreshed when it is about to expire, or undefined (and the session ended) when it has. */
export async function currentToken(): Promise<string | undefined> {
  const { session } = state;
  if (!session) return undefined;
  if (session.expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.apiToken;
  if (session.refresh) {
    try {
      refreshing ??= session.refresh().finally(() => (refreshing = undefined));
      const next = await refreshing;
      startSession(next);
      return next.apiToken;
    } catch {
      // fall through: expired unless still valid for a moment
    }
  }
  if (session.expiresAt > Date.now()) return session.apiToken;
  endSession('expired');
  return undefined;
}

/** A JWT's payload, decoded (not verified: the API verifies every token it gets). */
export function decodeJwt(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return claims && typeof claims === 'object' ? (claims as Claims) : undefined;
  } catch {
    return undefined;
  }
}

export interface Person {
  /** Who, as the token names them: email, else username, else subject. */
  label: string;
  roles: Role[];
}

/** The person and the roles the API will see: the exact elements of the groups claim that are Seatkeeper roles. */
export function personOf(session: Session, groupsClaim: string): Person {
  const { claims } = session;
  const groups = claims[groupsClaim];
  const list =
    typeof groups === 'string' ? [groups] : Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  const label = [claims.email, claims.preferred_username, claims['cognito:username'], claims.sub].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return { label: label ?? 'signed in', roles: ROLES.filter((role) => list.includes(role)) };
}
