/** The sample events in events/ are real-shaped: each runs through its handler to the expected outcome. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../functions/manifest.ts';
import { setAreaLimit } from '#core/license.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { lambdaContext } from '../../infra/local/server.ts';

// The sample user id does not exist in the test database, so routes on it answer 404.
const expected: Record<string, number> = {
  createUser: 201,
  listUsers: 200,
  getUser: 404,
  updateUser: 404,
  blockUser: 404,
  unblockUser: 404,
  deleteUser: 404,
  getSummary: 200,
  exportPeople: 200,
  createImportUpload: 201,
  listImports: 200,
  getImport: 404,
  retryImport: 404,
  getLicense: 200,
  putAreaLimit: 200,
  createTransfer: 200,
  listPending: 200,
  activatePending: 200,
  createScimToken: 201,
  listScimTokens: 200,
  deleteScimToken: 404,
  scimListUsers: 200,
  scimCreateUser: 201,
  scimGetUser: 404,
  scimReplaceUser: 404,
  scimPatchUser: 404,
  scimDeleteUser: 404,
  scimGetServiceProviderConfig: 200,
  scimListResourceTypes: 200,
  scimGetResourceType: 200,
  scimListSchemas: 200,
  scimGetSchema: 200,
  scimUnsupportedEndpoint: 501,
};

/** What a 404 body says, per edge: SCIM routes answer in SCIM's error shape (RFC 7644 §3.12). */
const notFound = (name: string, route: (typeof httpRoutes)[number]) =>
  route.auth === 'scimToken'
    ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' }
    : {
        error: {
          code:
            (
              { deleteScimToken: 'SCIM_TOKEN_NOT_FOUND', getImport: 'IMPORT_NOT_FOUND', retryImport: 'IMPORT_NOT_FOUND' } as Record<
                string,
                string
              >
            )[name] ?? 'USER_NOT_FOUND',
        },
      };

describe('events/', () => {
  it.each(httpRoutes.map((route) => [route.handler, route] as const))('%s.json runs through its handler', async (name, route) => {
    await setAreaLimit('extranet', 25);
    const event = JSON.parse(readFileSync(`events/${name}.json`, 'utf8'));
    expect(event.routeKey).toBe(`${route.method} ${route.path}`);
    const handler = await loadHandler(name);
    const response = (await handler(event, lambdaContext(name))) as { statusCode: number; body?: string };
    expect(response.statusCode, response.body).toBe(expected[name]);
    if (expected[name] === 404) expect(JSON.parse(response.body!)).toMatchObject(notFound(name, route));
  });
});
