import { transferSeats } from '#core/license.ts';
import { LICENSE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { retryKey } from '#commons/api/idempotency.ts';
import { parseBody } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { transferBody } from './schemas.ts';

export const handler = httpHandler(
  LICENSE_ADMINS,
  async (event) => {
    const { from, to, seats } = parseBody(event, transferBody);
    return jsonResponse(200, { areas: await transferSeats(from, to, seats, retryKey(event)) });
  },
  { idempotent: true },
);
