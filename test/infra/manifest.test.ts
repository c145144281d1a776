/**
 * The manifest (functions/manifest.ts) against the code it describes: every
 * administrators' route names the role rule its handler checks, so the
 * deployed API, its documentation and the handlers cannot disagree on who may
 * call a route; SCIM routes (authorized by directory tokens) name none.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RoleRule } from '#core/roles.ts';
import { httpRoutes, routeAuth, routeKey, routeModule } from '../../functions/manifest.ts';
import { projectRoot } from '../../infra/stack/bundling.ts';

const handlerOf = async (module: string) =>
  ((await import(pathToFileURL(join(projectRoot, module)).href)) as { handler: { roles?: RoleRule } }).handler;

describe('the manifest', () => {
  it.each(httpRoutes.filter((route) => routeAuth(route) === 'jwt').map((route) => [routeKey(route), route] as const))(
    '%s names the roles its handler checks',
    async (_key, route) => {
      expect(route.roles).toBeDefined();
      expect((await handlerOf(routeModule(route))).roles).toEqual(route.roles);
    },
  );

  it('names no roles for the SCIM routes: a directory token, not a role, authorizes them', () => {
    expect(httpRoutes.filter((route) => routeAuth(route) === 'scimToken' && route.roles !== undefined).map(routeKey)).toEqual([]);
  });
});
