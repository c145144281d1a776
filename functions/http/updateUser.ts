import { updateUser } from '#core/people.ts';
import { LICENSE_ADMIN, PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { callerHasRole, forbidden } from '#commons/api/authorize.ts';
import { parseBody, parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { updateUserBody, idPath } from './schemas.ts';

export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const { id } = parsePath(event, idPath);
  const changes = parseBody(event, updateUserBody);
  if (changes.exempt !== undefined && !callerHasRole(event, LICENSE_ADMIN)) {
    throw forbidden('Only a licence administrator can change whether an account is exempt.');
  }
  return jsonResponse(200, { user: await updateUser(id, changes) });
});
