import { createUploadUrl } from '../import/presignedUrls.ts';
import { httpHandler } from './httpHandler.ts';
import { parseBody } from './request.ts';
import { jsonResponse } from './response.ts';
import { createImportBody } from './schemas.ts';

/** POST /imports: a presigned PUT URL for a CSV upload (admin upload or directory sync). */
export const handler = httpHandler(['people-admin'], async (event) => {
  const upload = await createUploadUrl(parseBody(event, createImportBody));
  return jsonResponse(201, upload, { location: `/imports/${upload.id}` });
});
