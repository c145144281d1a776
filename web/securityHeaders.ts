/**
 * The console's security headers, one definition for both hosts: the local server
 * (infra/local/consoleSite.ts) and CloudFront's response headers policy (infra/stack/consoleHosting.ts).
 * The built app has no inline script or style (web/vite.config.ts), so 'self' is all it needs,
 * plus the origins it calls: the API, the imports bucket (presigned uploads, reports) and the
 * identity provider (discovery, token endpoint).
 */
export function consoleContentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The other headers every console response carries (HSTS only over HTTPS, so CloudFront adds it). */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Two years, as the HSTS preload list asks. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;
