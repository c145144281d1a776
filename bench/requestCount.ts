/** Counts the DynamoDB requests this process sends while installed, to report requests per operation. */
import { randomUUID } from 'node:crypto';
import { dynamodb } from '#clients/dynamodb.ts';

export function countRequests() {
  let count = 0;
  const name = `bench-count-${randomUUID()}`;
  dynamodb.middlewareStack.add((next) => async (args) => (count++, next(args)), { step: 'initialize', name });
  return { total: () => count, reset: () => (count = 0), stop: () => dynamodb.middlewareStack.remove(name) };
}
