import { waitingListPage } from '../activation/waitingListPage.ts';
import { httpHandler } from './httpHandler.ts';
import { parseQuery } from './request.ts';
import { jsonResponse } from './response.ts';
import { listPendingQuery } from './schemas.ts';

/** GET /pending?area=&limit=&cursor=: the licence waiting list, per area oldest first, with positions. */
export const handler = httpHandler(['people-admin'], async (event) =>
  jsonResponse(200, await waitingListPage(parseQuery(event, listPendingQuery))),
);
