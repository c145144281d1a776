import { findUsers } from './findUsers.ts';
import { parseFilter } from './filter.ts';
import { listResponse, pagingOf, singleParameter } from './listResponse.ts';
import { scimHandler } from './scimHandler.ts';
import { scimResponse } from './scimResponse.ts';
import { toScimUser } from './userResource.ts';

/**
 * GET /scim/v2/Users?filter=…&startIndex=…&count=… (RFC 7644 §3.4.2).
 * The query is read from rawQueryString with form decoding, so Entra's
 * `filter=userName+eq+"…"` reads as it means.
 */
export const handler = scimHandler(async ({ event, directory, baseUrl, model }) => {
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const paging = pagingOf(query);
  const text = singleParameter(query, 'filter');
  const filter = text === null ? undefined : parseFilter(text, model);
  const page = await findUsers(directory, filter, paging, (user) => toScimUser(user, baseUrl, model));
  return scimResponse(200, listResponse(page.resources, page.totalResults, paging.startIndex));
});
