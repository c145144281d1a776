import { defineConfig } from 'vitest/config';

/**
 * Three projects, one run (`npm test`), one JSON report (CI):
 * - unit: pure modules, no engines, no Java (`npm run test:unit`, seconds);
 * - integration: behaviour against DynamoDB Local, s3rver and the SES emulator, started once per
 *   run by the global setup; each file isolates itself by its own area names;
 * - infra: the CDK stack's template, IAM, cdk-nag and bundles, and the manifest against the code.
 */
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/unitEnvironment.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
          setupFiles: ['test/support/environment.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          setupFiles: ['test/support/unitEnvironment.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
