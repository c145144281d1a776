/**
 * What the benchmarks share: throwaway local engines (in memory, on free
 * ports, stopped at the end), child processes that measure one thing each, and
 * the figures' formatting. Engine and AWS modules are imported only when
 * engines start, so a measuring child that imports this file does not load them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts DynamoDB Local, s3rver and the SES emulator, points this process's
 * environment (and so every child's) at them, and creates the tables.
 */
export async function startBenchEngines(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const { LOCAL_AWS_ENV, startDynamoDb, startS3, startSes } = await import('../infra/local/engines.ts');
  Object.assign(process.env, LOCAL_AWS_ENV, { POWERTOOLS_LOG_LEVEL: 'SILENT' });
  const s3Directory = mkdtempSync(join(tmpdir(), 'seatkeeper-bench-s3-'));
  const [dynamo, s3, ses] = await Promise.all([startDynamoDb(), startS3({ directory: s3Directory }), startSes()]);
  const env = { ...LOCAL_AWS_ENV, DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, SES_ENDPOINT: ses.endpoint };
  Object.assign(process.env, env);
  // Modules that hold AWS clients read their endpoints when they load: these load only now.
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
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

/**
 * Runs `script` in a child process (tsx loader, this process's environment, `nodeArgs` before
 * the script) with `args`, and returns what it prints last as JSON.
 */
export function runChild<T>(script: string, args: string[], nodeArgs: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`bench child ${args[0]} exited with ${code}: ${output.slice(-2000)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench child ${args[0]} printed no result: ${output.slice(-2000)}`));
      }
    });
  });
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** This process's peak RSS so far, in MiB (maxRSS is in KiB on Linux). */
export const peakRssMiB = () => mib(process.resourceUsage().maxRSS * 1024);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
