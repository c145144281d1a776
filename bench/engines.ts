/** Throwaway local engines for a benchmark run: in memory, on free ports, stopped at the end. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV, startDynamoDb, startS3, startSes } from '../infra/local/engines.ts';

export async function startBenchEngines(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  Object.assign(process.env, LOCAL_AWS_ENV, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const s3Directory = mkdtempSync(join(tmpdir(), 'seatkeeper-bench-s3-'));
  const [dynamo, s3, ses] = await Promise.all([startDynamoDb(), startS3({ directory: s3Directory }), startSes()]);
  const env = { ...LOCAL_AWS_ENV, DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, SES_ENDPOINT: ses.endpoint };
  Object.assign(process.env, env);
  const { ensureTables } = await import('../infra/local/provision.ts');
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint });
  await ensureTables(client);
  client.destroy();
  return {
    env,
    stop: async () => {
      await Promise.all([dynamo.stop(), s3.stop(), ses.stop()]);
      rmSync(s3Directory, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
