import { transferSeats } from '#core/license.ts';
import { httpHandler } from './httpHandler.ts';
import { callerSubject } from './middleware/authorize.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
import { transferBody } from './schemas.ts';

export const handler = httpHandler(['license-admin'], async (event) => {
  const { from, to, seats } = parseBody(event, transferBody);
  const key = event.headers?.['idempotency-key'];
  const retryKey = key ? `${callerSubject(event) ?? ''}#${key}` : undefined;
  return jsonResponse(200, { areas: await transferSeats(from, to, seats, retryKey) });
}, { idempotent: true });
