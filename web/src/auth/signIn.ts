/**
 * How a session starts: `#access_token=<jwt>` in the address (the local sign-in page, scripts and
 * tests), or OpenID Connect authorization code with PKCE (on AWS; ./oidc.ts, loaded only there).
 */
import type { ConsoleConfig } from '../consoleConfig.ts';
import { decodeJwt, endSession, startSession, type Session } from './session.ts';

/** Takes a token from `#access_token=…` and removes it from the address bar and history. */
function tokenFromHash(): string | undefined {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const token = hash.get('access_token');
  if (!token) return undefined;
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  return token;
}

export function sessionFromToken(token: string): Session | undefined {
  const claims = decodeJwt(token);
  if (!claims) return undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 60 * 60 * 1000;
  return { apiToken: token, claims, expiresAt: exp };
}

/** Starts a session from `#access_token=…` in the address, if there is one (at start, and when the hash changes). */
export function signInFromHash(): void {
  const token = tokenFromHash();
  if (!token) return;
  const session = sessionFromToken(token);
  if (!session) return endSession('error', 'The token in the address is not a JWT.');
  if (session.expiresAt <= Date.now()) return endSession('expired');
  startSession(session);
}

/** Starts the session this page load brings, if any: a token in the hash, or the identity provider's answer (?code=…&state=…). */
export async function completeSignIn(config: ConsoleConfig): Promise<void> {
  signInFromHash();
  const query = new URLSearchParams(window.location.search);
  if (config.auth.kind === 'oidc' && (query.has('code') || query.has('error')) && query.has('state')) {
    const { finishOidcSignIn } = await import('./oidc.ts');
    try {
      startSession(await finishOidcSignIn(config.auth));
    } catch (error) {
      endSession('error', `Sign-in failed: ${(error as Error).message}`);
    }
  }
}

/** Sends the browser to sign in. */
export async function beginSignIn(config: ConsoleConfig): Promise<void> {
  if (config.auth.kind === 'local') {
    window.location.assign(config.auth.signInUrl);
    return;
  }
  const { beginOidcSignIn } = await import('./oidc.ts');
  await beginOidcSignIn(config.auth);
}

export function signOut(session: Session | undefined): void {
  endSession('signed-out');
  if (session?.signOutUrl) window.location.assign(session.signOutUrl);
}
