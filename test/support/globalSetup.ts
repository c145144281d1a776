/** Starts the real local engines once per test run and stops them at the end. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { LOCAL_AWS_ENV, startDynamoDb } from '../../infra/local/engines.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  Object.assign(process.env, LOCAL_AWS_ENV);
  const dynamo = await startDynamoDb();
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  const { ensureTables, seedLimits } = await import('../../infra/local/provision.ts');
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureTables(client);
  client.destroy();
  // Tests work in areas of their own; the default area exists, roomy, for tests of defaults.
  await seedLimits(new Map([['primary', 1_000_000]]));
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
