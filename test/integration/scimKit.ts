/** What the SCIM and waiting-list tests share: their own tables, a provider's client, and resource builders. */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect } from 'vitest';
import { setAreaLimit } from '#core/license.ts';
import { tableDefinitions } from '#core/tables.ts';
import { ensureTables } from '../../infra/local/provision.ts';
import type { ApiClient } from '../support/localApi.ts';
import { uniqueEmail } from '../support/seats.ts';

export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SEATKEEPER = 'urn:ietf:params:scim:schemas:extension:seatkeeper:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * Tables of this test file's own (DESIGN §5): the activation run and
 * POST /pending/activate work on every area, so no other file's waiting users
 * may be in their reach. Call at the top of the file, before useLocalApi().
 */
export function useOwnTables(name: string): void {
  const prefix = `${name}-${randomUUID().slice(0, 8)}`;
  for (const definition of Object.values(tableDefinitions)) process.env[definition.envName] = `${prefix}-${definition.defaultName}`;
  beforeAll(async () => {
    await ensureTables(process.env.DYNAMODB_ENDPOINT!);
    await setAreaLimit('primary', 1000);
  });
}

export interface ScimResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** An identity provider: its token (one per directory) and its requests, sent as application/scim+json. */
export interface Provider {
  directory: string;
  token: string;
  tokenId: string;
  (
    method: string,
    path: string,
    body?: unknown,
    options?: { headers?: Record<string, string>; token?: string | null },
  ): Promise<ScimResponse>;
}

export async function connectProvider(api: ApiClient, name = 'okta'): Promise<Provider> {
  const directory = `${name}-${randomUUID().slice(0, 8)}`;
  const issued = await api('POST', '/scim-tokens', {
    groups: ['people-admin', 'license-admin'],
    body: { directory, description: `${name} in tests` },
  });
  if (issued.status !== 201) throw new Error(`could not issue a SCIM token: ${JSON.stringify(issued.body)}`);
  const token = issued.body.token as string;
  const provider = ((method, path, body, options = {}) =>
    api(method, `/scim/v2${path}`, {
      token: options.token === undefined ? token : options.token,
      body,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        accept: 'application/scim+json',
        ...options.headers,
      },
    })) as Provider;
  return Object.assign(provider, { directory, token, tokenId: issued.body.scimToken.id as string });
}

/** A User resource as Okta sends it, in `area` (Seatkeeper's extension). */
export const userResource = (area: string | undefined, extra: Record<string, unknown> = {}) => {
  const email = uniqueEmail('scim');
  return {
    schemas: [CORE, SEATKEEPER],
    userName: email,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Ada Lovelace',
    externalId: `00u${randomUUID().replace(/-/g, '').slice(0, 17)}`,
    active: true,
    ...(area ? { [SEATKEEPER]: { area } } : {}),
    ...extra,
  };
};

export const patchBody = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

/** The SCIM error body of RFC 7644 §3.12. */
export const scimError = (status: number, scimType?: string) => ({
  schemas: [ERROR],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail: expect.any(String),
});
