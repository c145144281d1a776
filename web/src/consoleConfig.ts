/**
 * What the console reads from /config.json at start: written by `npm start` locally
 * (infra/local/consoleSite.ts) and by the CDK stack on AWS (infra/stack/consoleHosting.ts).
 * Types only, so the Node side can import it too.
 */
export interface ConsoleConfig {
  /** The API's base URL without a trailing slash; '' when the API serves the console (locally). */
  apiUrl: string;
  /** The token claim that lists the caller's groups (the stack's groupsClaim, GROUPS_CLAIM locally). */
  groupsClaim: string;
  /** The share of an area's limit at which its usage bar turns amber (the alerts' ALERT_WARNING_SHARE). */
  warningShare: number;
  auth: LocalAuth | OidcAuth;
}

/** `npm start` only: a sign-in page that mints a local token with the roles the developer picks. */
export interface LocalAuth {
  kind: 'local';
  signInUrl: string;
}

/** OpenID Connect authorization code with PKCE: the stack's Cognito user pool or the issuer of `-c issuer`. */
export interface OidcAuth {
  kind: 'oidc';
  issuer: string;
  clientId: string;
  scopes: string;
  /** Which token the API gets: the access token (Cognito) or the ID token (an issuer whose access tokens are for another audience). */
  apiToken: 'access' | 'id';
  /** Where sign-out ends the identity provider's session too (Cognito's /logout), if the issuer does not publish end_session_endpoint. */
  logoutUrl?: string;
}
