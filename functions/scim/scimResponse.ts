import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { jsonResponse } from '#commons/api/response.ts';

/** RFC 7644 §3.1: SCIM messages are `application/scim+json` (JSON is UTF-8 by definition, RFC 8259). */
const SCIM_CONTENT_TYPE = 'application/scim+json';

/** A JSON response with SCIM's content type; a response without a body has none. */
export function scimResponse(status: number, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(status, body, body === undefined ? headers : { 'content-type': SCIM_CONTENT_TYPE, ...headers });
}
