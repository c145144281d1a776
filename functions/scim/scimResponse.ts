import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** RFC 7644 §3.1: SCIM messages are `application/scim+json` (JSON is UTF-8 by definition, RFC 8259). */
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export function scimResponse(status: number, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  if (body === undefined) return { statusCode: status, headers };
  return { statusCode: status, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}
