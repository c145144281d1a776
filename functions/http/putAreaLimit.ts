import { setAreaLimit } from '#core/license.ts';
import { httpHandler } from './httpHandler.ts';
import { parseBody, parsePath } from './request.ts';
import { jsonResponse } from './response.ts';
import { areaLimitBody, areaPath } from './schemas.ts';

export const handler = httpHandler(['license-admin'], async (event) => {
  const { area } = parsePath(event, areaPath);
  const { limit } = parseBody(event, areaLimitBody);
  const { seats, created } = await setAreaLimit(area, limit);
  return jsonResponse(200, { area: seats, created });
});
