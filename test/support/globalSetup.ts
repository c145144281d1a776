/** Starts the real local engines once per test run and stops them at the end. */
import type { TestProject } from 'vitest/node';
import { startThrowawayEngines } from '../../infra/local/engines.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
    sesEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const engines = await startThrowawayEngines();
  // Tests work in areas of their own; the default area exists, roomy, for tests of defaults.
  const { seedLimits } = await import('../../infra/local/provision.ts');
  await seedLimits(new Map([['primary', 1_000_000]]));
  project.provide('dynamodbEndpoint', engines.env.DYNAMODB_ENDPOINT!);
  project.provide('s3Endpoint', engines.env.S3_ENDPOINT!);
  project.provide('sesEndpoint', engines.env.SES_ENDPOINT!);
  return engines.stop;
}
