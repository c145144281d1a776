import { createUser } from '#core/people.ts';
import { httpHandler } from './httpHandler.ts';
import { callerHasRole, forbidden } from './middleware/authorize.ts';
import { retryKey } from './middleware/idempotency.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
import { createUserBody } from './schemas.ts';

export const handler = httpHandler(['people-admin'], async (event) => {
  const body = parseBody(event, createUserBody);
  if (body.exempt && !callerHasRole(event, 'license-admin')) {
    throw forbidden('Only a licence administrator can create an exempt account.');
  }
  const user = await createUser({ ...body, source: 'api' }, 'refuse', retryKey(event));
  return jsonResponse(201, { user }, { location: `/users/${user.id}` });
}, { idempotent: true });
