import { readAreas } from '#core/seatCounter.ts';
import { ANY_ADMIN } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';

export const handler = httpHandler(ANY_ADMIN, async () => {
  const areas = await readAreas();
  return jsonResponse(200, { areas: areas.map(({ area, limit, active, available }) => ({ area, limit, active, available })) });
});
