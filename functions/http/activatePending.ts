import { runActivation } from '../activation/activationRun.ts';
import { httpHandler } from './httpHandler.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
import { activatePendingBody } from './schemas.ts';

/** POST /pending/activate {area?}: the scheduled activation run, now (for one area or all). The body is optional. */
export const handler = httpHandler(['people-admin'], async (event) => {
  const { area } = event.body ? parseBody(event, activatePendingBody) : {};
  return jsonResponse(200, await runActivation(area));
});
