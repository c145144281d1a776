import { setAreaLimit } from '#core/license.ts';
import { LICENSE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parseBody, parsePath } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { areaLimitBody, areaPath } from './schemas.ts';

export const handler = httpHandler(LICENSE_ADMINS, async (event) => {
  const { area } = parsePath(event, areaPath);
  const { limit } = parseBody(event, areaLimitBody);
  const { seats, created } = await setAreaLimit(area, limit);
  return jsonResponse(200, { area: seats, created });
});
