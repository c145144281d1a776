import { exportPeople } from '../export/peopleExport.ts';
import { httpHandler } from './httpHandler.ts';
import { callerSubject } from './middleware/authorize.ts';
import { jsonResponse } from './response.ts';
import { exportPeopleQuery } from './schemas.ts';

export const handler = httpHandler(
  ['people-admin'],
  async (event, filter) => {
    const result = await exportPeople(filter, { requestedBy: callerSubject(event) });
    // The URL is a bearer credential for 15 minutes: no cache may keep it.
    return jsonResponse(200, result, { 'cache-control': 'no-store' });
  },
  { query: exportPeopleQuery },
);
