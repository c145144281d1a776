/** Starts the real local engines once per test run and stops them at the end. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { LOCAL_AWS_ENV, startDynamoDb, startS3, startSes } from '../../infra/local/engines.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
    sesEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  Object.assign(process.env, LOCAL_AWS_ENV);
  const s3Directory = mkdtempSync(join(tmpdir(), 'seatkeeper-s3-'));
  const [dynamo, s3, ses] = await Promise.all([startDynamoDb(), startS3({ directory: s3Directory }), startSes()]);
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  const { ensureTables, seedLimits } = await import('../../infra/local/provision.ts');
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureTables(client);
  client.destroy();
  // Tests work in areas of their own; the default area exists, roomy, for tests of defaults.
  await seedLimits(new Map([['primary', 1_000_000]]));
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop(), ses.stop()]);
    rmSync(s3Directory, { recursive: true, force: true });
  };
}
