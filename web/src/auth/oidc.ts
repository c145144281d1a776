/**
 * OpenID Connect authorization code flow with PKCE (oauth4webapi), for the console on AWS.
 * Only the PKCE verifier, state and nonce survive the redirect (sessionStorage, removed on
 * return; single-use and worthless without the code); tokens stay in memory.
 */
import * as oauth from 'oauth4webapi';
import type { OidcAuth } from '../consoleConfig.ts';
import { decodeJwt, type Session } from './session.ts';

const PENDING_KEY = 'seatkeeper.oidc';
const redirectUri = () => `${window.location.origin}/`;

let discovered: Promise<oauth.AuthorizationServer> | undefined;
function server(auth: OidcAuth): Promise<oauth.AuthorizationServer> {
  discovered ??= (async () => {
    const issuer = new URL(auth.issuer);
    return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc' }));
  })();
  return discovered;
}

export async function beginOidcSignIn(auth: OidcAuth): Promise<void> {
  const as = await server(auth);
  if (!as.authorization_endpoint) throw new Error(`${auth.issuer} publishes no authorization endpoint`);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: auth.scopes,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  window.location.assign(url.href);
}

function sessionOf(
  auth: OidcAuth,
  as: oauth.AuthorizationServer,
  result: oauth.TokenEndpointResponse,
  previousClaims?: Record<string, unknown>,
): Session {
  const client: oauth.Client = { client_id: auth.clientId };
  const idToken = result.id_token;
  const apiToken = auth.apiToken === 'id' ? idToken : result.access_token;
  if (!apiToken) throw new Error(`the identity provider returned no ${auth.apiToken === 'id' ? 'ID' : 'access'} token`);
  const claims = { ...previousClaims, ...(idToken ? decodeJwt(idToken) : {}), ...decodeJwt(apiToken) };
  const exp = decodeJwt(apiToken)?.exp;
  const expiresAt = typeof exp === 'number' ? exp * 1000 : Date.now() + (result.expires_in ?? 3600) * 1000;
  const refreshToken = result.refresh_token;
  const signOutUrl =
    auth.logoutUrl ??
    (as.end_session_endpoint
      ? `${as.end_session_endpoint}?${new URLSearchParams({ client_id: auth.clientId, post_logout_redirect_uri: redirectUri() })}`
      : undefined);
  return {
    apiToken,
    claims,
    expiresAt,
    ...(signOutUrl ? { signOutUrl } : {}),
    ...(refreshToken
      ? {
          refresh: async () => {
            const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken);
            const next = await oauth.processRefreshTokenResponse(as, client, response);
            // Cognito does not rotate refresh tokens: keep the one we have when none comes back.
            return sessionOf(auth, as, { ...next, refresh_token: next.refresh_token ?? refreshToken }, claims);
          },
        }
      : {}),
  };
}

export async function finishOidcSignIn(auth: OidcAuth): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; nonce: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(window.location.href);
  window.history.replaceState(null, '', `${window.location.pathname}#/`);
  if (!pending) throw new Error('no sign-in was started from this tab');
  const as = await server(auth);
  const client: oauth.Client = { client_id: auth.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return sessionOf(auth, as, result);
}
