/**
 * GET /export (people-admin): the export edge's function. The matching people as a CSV
 * in the exports bucket, answered with a short-lived download URL (peopleExport.ts).
 */
import * as z from 'zod';
import { areaName, userState } from '#core/fields.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { callerSubject } from '#commons/api/authorize.ts';
import { jsonResponse } from '#commons/api/response.ts';
import type { PeopleFilter } from './matchingUsers.ts';
import { exportPeople } from './peopleExport.ts';

/** One area or all, optionally one account state. */
export const exportPeopleQuery = z.strictObject({
  area: areaName.optional(),
  state: userState.optional(),
}) satisfies z.ZodType<PeopleFilter>;

export const handler = httpHandler(
  PEOPLE_ADMINS,
  async (event, filter) => {
    const result = await exportPeople(filter, { requestedBy: callerSubject(event) });
    // The URL is a bearer credential for 15 minutes: no cache may keep it.
    return jsonResponse(200, result, { 'cache-control': 'no-store' });
  },
  { query: exportPeopleQuery },
);
