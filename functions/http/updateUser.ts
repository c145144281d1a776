import { updateUser } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { callerHasRole, forbidden } from './middleware/authorize.ts';
import { parseBody, parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { updateUserBody, idPath } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (event) => {
  const { id } = parsePath(event, idPath);
  const changes = parseBody(event, updateUserBody);
  if (changes.exempt !== undefined && !callerHasRole(event, 'license-admin')) {
    throw forbidden('Only a licence administrator can change whether an account is exempt.');
  }
  return jsonResponse(200, { user: await updateUser(id, changes) });
});
