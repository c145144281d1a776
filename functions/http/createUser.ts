import { createUser } from '#core/people.ts';
import { LICENSE_ADMIN, PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { callerHasRole, forbidden } from '#commons/api/authorize.ts';
import { retryKey } from '#commons/api/idempotency.ts';
import { parseBody } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { createUserBody } from './schemas.ts';

export const handler = httpHandler(
  PEOPLE_ADMINS,
  async (event) => {
    const body = parseBody(event, createUserBody);
    if (body.exempt && !callerHasRole(event, LICENSE_ADMIN)) {
      throw forbidden('Only a licence administrator can create an exempt account.');
    }
    const user = await createUser({ ...body, source: 'api' }, 'refuse', retryKey(event));
    return jsonResponse(201, { user }, { location: `/users/${user.id}` });
  },
  { idempotent: true },
);
