import { waitingListPage } from '#core/waitingListPage.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { listPendingQuery } from './schemas.ts';

/** GET /pending?area=&limit=&cursor=: the licence waiting list, per area oldest first, with positions. */
export const handler = httpHandler(PEOPLE_ADMINS, async (_event, query) => jsonResponse(200, await waitingListPage(query)), {
  query: listPendingQuery,
});
