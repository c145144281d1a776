import { createUploadUrl } from '#core/importUploads.ts';
import { PEOPLE_ADMINS } from '#core/roles.ts';
import { httpHandler } from '#commons/api/httpHandler.ts';
import { parseBody } from '#commons/api/request.ts';
import { jsonResponse } from '#commons/api/response.ts';
import { createImportBody } from './schemas.ts';

/** POST /imports: a presigned PUT URL for a CSV upload (admin upload or directory sync). */
export const handler = httpHandler(PEOPLE_ADMINS, async (event) => {
  const upload = await createUploadUrl(parseBody(event, createImportBody));
  return jsonResponse(201, upload, { location: `/imports/${upload.id}` });
});
