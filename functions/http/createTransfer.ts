import { transferSeats } from '#core/license.ts';
import { httpHandler } from './httpHandler.ts';
import { retryKey } from './middleware/idempotency.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
import { transferBody } from './schemas.ts';

export const handler = httpHandler(['license-admin'], async (event) => {
  const { from, to, seats } = parseBody(event, transferBody);
  return jsonResponse(200, { areas: await transferSeats(from, to, seats, retryKey(event)) });
}, { idempotent: true });
