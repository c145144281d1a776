/**
 * The console as `npm start` serves it, next to the API on the same origin: the built app
 * (web/dist), its /config.json, and the local sign-in page, which mints a local token with the
 * roles the developer picks. That page exists only here: the CDK stack deploys web/dist and a
 * config.json that signs in through OpenID Connect.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { s3 } from '#clients/s3.ts';
import { bucketName } from '#core/buckets.ts';
import { DEFAULT_GROUPS_CLAIM } from '#commons/api/authorize.ts';
import { parseShare } from '../../functions/notify/config.ts';
import type { ConsoleConfig } from '../../web/src/consoleConfig.ts';
import { CONSOLE_HEADERS, consoleContentSecurityPolicy } from '../../web/securityHeaders.ts';
import { CONSOLE_DIST } from './consoleBuild.ts';
import { signLocalToken } from './localAuth.ts';

export const LOCAL_SIGN_IN_PATH = '/local-sign-in';
const ROLES = ['people-admin', 'license-admin'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ConsoleSite {
  /** Answers a request for the console (true), or leaves it to the API (false). */
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean>;
}

/** The alert emails' warning share (ALERT_WARNING_SHARE, read as the notifier reads it), for the usage bars. */
function warningShare(): number {
  try {
    return parseShare(process.env.ALERT_WARNING_SHARE);
  } catch {
    // The notifier reports a bad value itself; the bars keep the default.
    return parseShare(undefined);
  }
}

export const localGroupsClaim = () => process.env.GROUPS_CLAIM || DEFAULT_GROUPS_CLAIM;

export function localConsoleConfig(): ConsoleConfig {
  return {
    apiUrl: '',
    groupsClaim: localGroupsClaim(),
    warningShare: warningShare(),
    auth: { kind: 'local', signInUrl: LOCAL_SIGN_IN_PATH },
  };
}

/**
 * The imports bucket takes the console's presigned uploads and gives it the reports, from the
 * console's origins only (s3rver serves every bucket unsigned: no other site may read it).
 */
export async function allowConsoleUploads(origins: string[]): Promise<void> {
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucketName('imports'),
      CORSConfiguration: {
        CORSRules: [{ AllowedOrigins: origins, AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }],
      },
    }),
  );
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SIGN_IN_STYLE = `body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1b1f24;margin:0}
main{max-width:32rem;margin:8vh auto;background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:2rem}
.local{background:#fff8e5;border-left:5px solid #9a6700;padding:.5rem .9rem;border-radius:6px}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0}label{display:block;margin:.4rem 0}
input[type=text],input[type=email]{font:inherit;padding:.4rem;border:1px solid #8c959f;border-radius:6px;width:100%}
button{font:inherit;background:#1f4e79;color:#fff;border:0;border-radius:6px;padding:.5rem 1.2rem;margin-top:1rem;cursor:pointer}
:focus-visible{outline:3px solid #0b63ce;outline-offset:2px}`;
const SIGN_IN_STYLE_HASH = `'sha256-${createHash('sha256').update(SIGN_IN_STYLE).digest('base64')}'`;

function signInPage(error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local sign-in · Seatkeeper</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${SIGN_IN_STYLE}</style></head>
<body><main>
<h1>Local sign-in</h1>
<p class="local"><strong>This page exists only locally.</strong> <code>npm start</code> serves it so a developer can try the console with any roles; it signs a local token with this machine's secret (<code>.data/local-jwt-secret</code>). On AWS the console signs in through Cognito or your identity provider instead, and this page is not deployed.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${LOCAL_SIGN_IN_PATH}">
<fieldset><legend>Roles</legend>
${ROLES.map((role) => `<label><input type="checkbox" name="role" value="${role}" checked> ${role}</label>`).join('\n')}
</fieldset>
<label for="email">Email</label><input id="email" type="email" name="email" value="admin@example.com" autocomplete="off">
<label for="sub">Subject (the token's <code>sub</code>: who the records say did it)</label><input id="sub" type="text" name="sub" value="local-admin" autocomplete="off">
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

export function consoleSite(options: { secret: Uint8Array; config: ConsoleConfig; connectSources: string[] }): ConsoleSite {
  const appHeaders = { ...CONSOLE_HEADERS, 'content-security-policy': consoleContentSecurityPolicy(options.connectSources) };
  const signInHeaders = {
    ...CONSOLE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src ${SIGN_IN_STYLE_HASH}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  };

  async function signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' || request.method === 'HEAD') {
      response.writeHead(200, signInHeaders).end(request.method === 'HEAD' ? undefined : signInPage());
      return;
    }
    // Only this page's own form may mint a token: another site's form posting here is refused. (The page's
    // no-referrer policy makes the browser send `Origin: null`, so Fetch Metadata tells where the post came from.)
    if (request.headers['sec-fetch-site'] !== 'same-origin') {
      response.writeHead(403, signInHeaders).end(signInPage('Sign in from this page (the request came from another site).'));
      return;
    }
    const form = await readForm(request);
    const roles = form.getAll('role').filter((role) => (ROLES as readonly string[]).includes(role));
    const email = form.get('email')?.trim() || undefined;
    const subject = form.get('sub')?.trim() || 'local-admin';
    const token = await signLocalToken(options.secret, roles, { subject, ...(email ? { email } : {}), groupsClaim: localGroupsClaim() });
    response.writeHead(303, { ...signInHeaders, location: `/#access_token=${token}` }).end();
  }

  return {
    async handle(request, response, url) {
      const method = request.method ?? 'GET';
      if (url.pathname === LOCAL_SIGN_IN_PATH && ['GET', 'HEAD', 'POST'].includes(method)) {
        await signIn(request, response);
        return true;
      }
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (url.pathname === '/config.json') {
        response
          .writeHead(200, { ...appHeaders, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-store' })
          .end(method === 'HEAD' ? undefined : JSON.stringify(options.config));
        return true;
      }
      // The app's files: index.html at /, the hashed assets, and what web/public holds (favicon.svg, …).
      // Any other path is the API's, as is any file name the build does not hold.
      const file = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const path = normalize(join(CONSOLE_DIST, file));
      const isAppFile = !file.startsWith('.') && path.startsWith(CONSOLE_DIST + sep) && existsSync(path) && statSync(path).isFile();
      if (!isAppFile) {
        if (!url.pathname.startsWith('/assets/')) return false;
        response.writeHead(404, { ...appHeaders, 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return true;
      }
      response.writeHead(200, {
        ...appHeaders,
        'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
        // Hashed names never change content; index.html must be read anew to find new ones.
        'cache-control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (method === 'HEAD') response.end();
      else createReadStream(path).pipe(response);
      return true;
    },
  };
}
