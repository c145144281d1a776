/**
 * A throwaway `npm start` for the browser tests: in memory, on free ports, with its own token
 * secret and runtime file (a developer's running npm start keeps its own), no activation timer.
 * Its console URL and secret reach the tests through the environment; the returned teardown
 * stops the whole process group it started.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/engines.ts';

const STARTUP_TIMEOUT_MS = 120_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'seatkeeper-browser-'));
  const secret = randomBytes(32).toString('hex');
  const [port, dynamoPort, s3Port, sesPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn('npm', ['start', '--', '--in-memory'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoPort),
      S3_PORT: String(s3Port),
      SES_PORT: String(sesPort),
      LOCAL_JWT_SECRET: secret,
      SEATKEEPER_RUNTIME_FILE: join(scratch, 'runtime.json'),
      ACTIVATION_INTERVAL_MINUTES: '0',
      // Retries of a failed import event come quickly here (none should fail).
      ASYNC_RETRY_DELAYS_MS: '1000,2000',
    },
  });
  let output = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const force = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 15_000);
      await exited;
      clearTimeout(force);
    }
    // npm start stops DynamoDB Local's JVM before it exits; wait until nothing of the group is left.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(scratch, { recursive: true, force: true });
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^\s*Console\s+(http:\/\/\S+?)\/?\s/m.exec(output);
      if (match && output.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  }).catch(async (error: Error) => {
    await stop();
    throw error;
  });
  // Keep reading, or a full pipe would stall the server.
  child.stdout.on('data', () => undefined);
  child.stderr.on('data', () => undefined);

  process.env.CONSOLE_URL = url;
  process.env.LOCAL_JWT_SECRET = secret;
  process.env.CONSOLE_S3_ENDPOINT = `http://127.0.0.1:${s3Port}`;
  return stop;
}
