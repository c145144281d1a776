import { exportPeople } from '../export/peopleExport.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { callerSubject } from '#commons/api/authorize.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { exportPeopleQuery } from './schemas.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';

export const handler = httpHandler(
  PEOPLE_ADMINS,
  async (event, filter) => {
    const result = await exportPeople(filter, { requestedBy: callerSubject(event) });
    // The URL is a bearer credential for 15 minutes: no cache may keep it.
    return jsonResponse(200, result, { 'cache-control': 'no-store' });
  },
  { query: exportPeopleQuery },
);
