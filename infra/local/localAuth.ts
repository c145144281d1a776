/**
 * Local stand-in for API Gateway's JWT authorizer: HS256 tokens signed with a
 * per-machine secret kept under .data/ (or LOCAL_JWT_SECRET).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { DEFAULT_GROUPS_CLAIM } from '#commons/api/authorize.ts';

export const LOCAL_ISSUER = 'seatkeeper-local';
export const LOCAL_AUDIENCE = 'seatkeeper';
const SECRET_FILE = '.data/local-jwt-secret';

export function localSecret(): Uint8Array {
  if (process.env.LOCAL_JWT_SECRET) return new TextEncoder().encode(process.env.LOCAL_JWT_SECRET);
  if (!existsSync(SECRET_FILE)) {
    mkdirSync(dirname(SECRET_FILE), { recursive: true });
    writeFileSync(SECRET_FILE, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(SECRET_FILE, 'utf8').trim());
}

/** `expiresIn`: a span ('12h', the default) or the second since the epoch it expires at; `email`: an email claim, for the console to show. */
export function signLocalToken(
  secret: Uint8Array,
  groups: string[],
  options: { subject?: string; expiresIn?: string | number; groupsClaim?: string; email?: string } = {},
): Promise<string> {
  return new SignJWT({ [options.groupsClaim ?? DEFAULT_GROUPS_CLAIM]: groups, ...(options.email ? { email: options.email } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'local-admin')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(secret);
}

/** Verifies `Authorization: Bearer …`; undefined when it is missing or invalid. */
export async function verifyBearer(header: string | undefined, secret: Uint8Array): Promise<JWTPayload | undefined> {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    });
    return payload;
  } catch {
    return undefined;
  }
}

/** API Gateway hands claims to the function as strings; arrays become "[a b]". */
export function claimsAsApiGatewayDelivers(payload: JWTPayload): Record<string, string | number | boolean | string[]> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value as string | number | boolean),
    ]),
  );
}
