import { readAreas } from '#core/seatCounter.ts';
import { httpHandler } from './httpHandler.ts';
import { jsonResponse } from './response.ts';

export const handler = httpHandler(['people-admin', 'license-admin'], async () => {
  const areas = await readAreas();
  return jsonResponse(200, { areas: areas.map(({ area, limit, active, available }) => ({ area, limit, active, available })) });
});
