import { summary } from '#core/license.ts';
import { httpHandler } from './httpHandler.ts';
import { jsonResponse } from './response.ts';

export const handler = httpHandler(['people-admin', 'license-admin'], async () => jsonResponse(200, await summary()));
