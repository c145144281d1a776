import { waitingListPage } from '../activation/waitingListPage.ts';
import { httpHandler } from './httpHandler.ts';
import { jsonResponse } from './response.ts';
import { listPendingQuery } from './schemas.ts';

/** GET /pending?area=&limit=&cursor=: the licence waiting list, per area oldest first, with positions. */
export const handler = httpHandler(['people-admin'], async (_event, query) => jsonResponse(200, await waitingListPage(query)), { query: listPendingQuery });
