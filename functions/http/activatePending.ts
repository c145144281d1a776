import { runActivation } from '#core/activationRun.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parseBody } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { activatePendingBody } from './schemas.ts';

/** POST /pending/activate {area?}: the scheduled activation run, now (for one area or all). The body is optional. */
export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const { area } = event.body ? parseBody(event, activatePendingBody) : {};
  return jsonResponse(200, await runActivation(area));
});
