import { directoryUser } from './directoryUsers.ts';
import { applyPatch, patchOperations } from './patch.ts';
import { reconcileUser } from './provisioning.ts';
import { scimBody, scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { desiredUser, displayNameAfterPatch, nameParts, toScimUser } from './userResource.ts';
import { pathUserId } from './pathUserId.ts';

/**
 * PATCH /scim/v2/Users/{id}: the operations apply to the user's resource
 * without `active`, so only a request that sets `active` asks for a state change.
 */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const current = await directoryUser(pathUserId(event), directory);
  const operations = patchOperations(scimBody(event));
  const { active: _, ...before } = toScimUser(current, baseUrl, model);
  const after = applyPatch(before, operations, model);
  const name = displayNameAfterPatch(nameParts(before), nameParts(after), current.name);
  const user = await reconcileUser(current, desiredUser(after, model, { missingArea: 'default', name }), directory);
  return scimResponse(200, toScimUser(user, baseUrl, model));
});
