import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { SeatkeeperError, invalidField, invalidRequest } from '#core/errors.ts';

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * API Gateway joins a query parameter given more than once with commas
 * (`?area=a&area=b` arrives as `area: "a,b"`), which no single-valued field
 * accepts; saying so beats a puzzling "must be lower-case letters".
 */
function repeatedHint(where: string, value: unknown): string {
  return where === 'query' && typeof value === 'string' && value.includes(',')
    ? ' (it takes one value, given once and without commas)'
    : '';
}

const KINDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text (a JSON string)',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list (a JSON array)',
};

/**
 * Zod's own wording ("Invalid input: expected string, received undefined") is for developers; these
 * are for the person reading the error. A message a schema gives itself takes precedence over this map.
 */
function plainProblem(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const side =
        issue.code === 'too_small'
          ? issue.inclusive === false
            ? 'more than'
            : 'at least'
          : issue.inclusive === false
            ? 'less than'
            : 'at most';
      if (issue.origin === 'string')
        return issue.code === 'too_small' && bound === 1 ? 'must not be empty' : `must be ${side} ${bound} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${side} ${bound} items`;
      return `must be ${side} ${bound}`;
    }
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `must be one of ${issue.options.map((value) => JSON.stringify(value)).join(', ')}`
        : undefined;
    default:
      return undefined;
  }
}

type Issue = { field: string; problem: string };

/** "field problem" for each issue, so a person sees every mistake at once. */
function describeIssues(error: z.ZodError, input: unknown, where: string): Issue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), problem: 'is not a known field' }));
    }
    const value = issue.path.length === 1 ? (input as Record<PropertyKey, unknown>)[issue.path[0]!] : undefined;
    return [{ field: issue.path.join('.') || '(body)', problem: issue.message + repeatedHint(where, value) }];
  });
}

/** One INVALID_REQUEST naming every issue: "Invalid request: email is required; limit must be …". */
function refusal(where: string, issues: Issue[]) {
  const said = issues.map(({ field, problem }) => `${field === '(body)' ? 'the body' : field} ${problem}`);
  return invalidRequest(`Invalid request: ${said.join('; ')}.`, { in: where, issues });
}

function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value, { error: plainProblem });
  if (result.success) return result.data;
  throw refusal(where, describeIssues(result.error, value, where));
}

export function parseBody<T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw invalidField('body', '(body)', 'is missing', 'This request needs a JSON body.');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new SeatkeeperError('PAYLOAD_TOO_LARGE', `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, { maxBytes: MAX_BODY_BYTES });
  }
  const type = event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new SeatkeeperError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.', {
      contentType: type,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeatkeeperError('INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
  return validate(schema, json, 'body');
}

export const parseQuery = <T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T =>
  validate(schema, event.queryStringParameters ?? {}, 'query');

/** A route that reads no query string refuses one, as a strict schema would (without loading zod for it). */
export function refuseQuery(event: APIGatewayProxyEventV2): void {
  const fields = Object.keys(event.queryStringParameters ?? {});
  if (fields.length > 0)
    throw refusal(
      'query',
      fields.map((field) => ({ field, problem: 'is not a known field' })),
    );
}

export const parsePath = <T>(event: APIGatewayProxyEventV2, schema: z.ZodType<T>): T =>
  validate(schema, event.pathParameters ?? {}, 'path');
