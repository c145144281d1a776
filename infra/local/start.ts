/**
 * npm start: the whole system on this machine. DynamoDB Local (data under
 * .data/, or --in-memory), the tables and default limits, and the HTTP API on
 * http://localhost:3000 running the same handlers as Lambda.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { LOCAL_AWS_ENV, LOOPBACK, startDynamoDb, startS3, startSes, type RunningEngine } from './engines.ts';
import { localSecret } from './localAuth.ts';
import { bucketName } from '#core/buckets.ts';
import { removeRuntime, writeRuntime } from './runtimeFile.ts';
import { ensureConsoleBuilt } from './consoleBuild.ts';

// From this process's start, so the figure includes loading TypeScript (npm's own start-up comes before it).
const started = performance.timeOrigin;
const inMemory = process.argv.includes('--in-memory');
const stops: (() => Promise<void>)[] = [];

async function stopAll(code = 0): Promise<never> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  removeRuntime();
  process.exit(code);
}
process.once('SIGINT', () => void stopAll());
process.once('SIGTERM', () => void stopAll());
// Whatever fails later (an engine's port taken after all, a bug) must not leave DynamoDB Local's JVM behind.
process.once('uncaughtException', (error) => {
  console.error(`npm start stopped: ${error.message}`);
  void stopAll(1);
});
// `kill <npm pid>` ends npm and its shell, not this process: when the parent goes, stop too.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void stopAll(), 1000).unref();

/** The preferred port when free, else undefined: the engine then takes any free one (a second checkout may run beside this one). */
async function portFor(preferred: number): Promise<number | undefined> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(preferred, LOOPBACK, () => probe.close(() => resolve(true)));
  });
  return free ? preferred : undefined;
}

try {
  for (const [key, value] of Object.entries(LOCAL_AWS_ENV)) process.env[key] ??= value;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // The JVM and the engines take several seconds; say so, or the silence reads as a hang.
  console.log('Starting DynamoDB Local (Java), the S3 and SES emulators, the API and the console… (about 10 s; longer on a busy machine)');
  // The console's build (only when web/dist is missing or older than web/src) runs while the JVM starts.
  const consoleBuild = ensureConsoleBuilt();
  consoleBuild.catch(() => undefined);

  const dynamo: RunningEngine = await startDynamoDb({
    port: await portFor(Number(process.env.DYNAMODB_PORT ?? 8000)),
    dataPath: inMemory ? undefined : '.data/dynamodb',
    onUnexpectedExit: (reason) => {
      console.error(`DynamoDB Local stopped unexpectedly; stopping everything. ${reason}`);
      void stopAll(1);
    },
  });
  stops.push(dynamo.stop);
  const s3Directory = inMemory ? `${tmpdir()}/seatkeeper-s3-${process.pid}` : '.data/s3';
  if (inMemory) stops.push(async () => rmSync(s3Directory, { recursive: true, force: true }));
  const s3 = await startS3({ port: await portFor(Number(process.env.S3_PORT ?? 4568)), directory: s3Directory });
  stops.push(s3.stop);
  const ses = await startSes({ port: await portFor(Number(process.env.SES_PORT ?? 8005)) });
  stops.push(ses.stop);
  Object.assign(process.env, { DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, SES_ENDPOINT: ses.endpoint });
  // Lambda's asynchronous invocations (S3 notifications, InvokeCommand): retried twice, after ASYNC_RETRY_DELAYS_MS.
  const { asyncRetryDelays } = await import('./asyncInvocation.ts');
  const retryDelaysMs = asyncRetryDelays();
  // Lambda's Invoke API, for functions that invoke another (POST /imports/{id}/retry): before any handler loads its client.
  const { startLambdaService } = await import('./lambdaService.ts');
  const lambdaService = await startLambdaService({ retryDelaysMs, log: (line) => console.log(line) });
  stops.push(() => lambdaService.stop());
  const endpoints = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3.endpoint,
    SES_ENDPOINT: ses.endpoint,
    LAMBDA_ENDPOINT: lambdaService.endpoint,
  };
  Object.assign(process.env, endpoints);

  // Modules that hold AWS clients read their endpoints when they load, so load them only now.
  const { ensureTables, parseLimits, seedLimits } = await import('./provision.ts');
  await ensureTables(dynamo.endpoint);
  await seedLimits(parseLimits(process.env.SEED_LIMITS ?? 'primary=100,extranet=25'));
  const { startLocalApi } = await import('./server.ts');
  const { allowConsoleUploads, consoleSite, localConsoleConfig } = await import('./consoleSite.ts');
  const consoleBuilt = await consoleBuild.catch((error: Error) => {
    throw new Error(`the console's build failed (web/, vite build): ${error.message}`);
  });
  const secret = localSecret();
  const api = await startLocalApi({
    port: await portFor(Number(process.env.PORT ?? 3000)),
    secret,
    log: (line) => console.log(line),
    // Same origin as the API; the browser sends presigned uploads to s3rver, and reads reports there.
    console: consoleSite({ secret, config: localConsoleConfig(), connectSources: [s3.endpoint] }),
  });
  stops.push(() => api.stop());
  await allowConsoleUploads([api.url, api.url.replace('//localhost:', '//127.0.0.1:')]);
  // The scheduled licence activation run (an EventBridge schedule in AWS): every ACTIVATION_INTERVAL_MINUTES, 0 = off.
  const { activationIntervalMinutes, startActivationTimer } = await import('./activationTimer.ts');
  const activationMinutes = activationIntervalMinutes();
  if (activationMinutes > 0) stops.push(await startActivationTimer({ minutes: activationMinutes, log: (line) => console.log(line) }));
  // S3 has bucket notifications, s3rver has not: forward its object events to the import function as S3 would.
  const { forwardS3Events } = await import('./s3Events.ts');
  const { loadHandler } = await import('./functions.ts');
  const importHandler = await loadHandler('import');
  stops.push(
    forwardS3Events(s3, { invoke: (event, context) => importHandler(event, context), retryDelaysMs, log: (line) => console.log(line) }),
  );
  // Limit alerts: the seats table's stream feeds the notifier, as the Lambda event source mapping does in AWS.
  const { startStreamPoller } = await import('./streamPoller.ts');
  const { lambdaContext } = await import('./server.ts');
  const notifyHandler = await loadHandler('notify');
  const seatsTable = (await import('#core/tables.ts')).tableName('seats');
  const { NOTIFY_TIMEOUT_MS } = await import('../../functions/notify/config.ts');
  const alerts = await startStreamPoller({
    tableName: seatsTable,
    handler: (event) => notifyHandler(event, lambdaContext('notify', NOTIFY_TIMEOUT_MS)),
  });
  stops.push(() => alerts.stop());

  writeRuntime({ apiUrl: api.url, env: { ...LOCAL_AWS_ENV, ...endpoints }, pid: process.pid });

  console.log(`
Seatkeeper is running (${((Date.now() - started) / 1000).toFixed(1)} s)${inMemory ? ' — in memory, nothing is kept' : ''}
  Console         ${api.url}/  (sign in at ${api.url}/local-sign-in; ${consoleBuilt === 'built' ? 'built from web/ just now' : 'web/dist is current'})
  API             ${api.url}
  DynamoDB Local  ${dynamo.endpoint}${inMemory ? '' : '  (data in .data/dynamodb)'}
  S3 (s3rver)     ${s3.endpoint}${inMemory ? '' : '  (data in .data/s3)'}
  Mail inbox      ${ses.endpoint}  (SES emulator: every email sent shows here)
  Limit alerts    on: ${seatsTable} stream → notify → People admins + ALERT_EMAILS (docs/export-and-alerts.md)
  Activation run  ${activationMinutes > 0 ? `every ${activationMinutes} min` : 'off'} (ACTIVATION_INTERVAL_MINUTES; run it now: POST /pending/activate)

Get a token:   TOKEN=$(npm run --silent token -- people-admin license-admin)
Try it:        curl -s -H "Authorization: Bearer $TOKEN" ${api.url}/summary
Import a CSV:  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws s3 cp people.csv s3://${bucketName('imports')}/imports/ --endpoint-url ${s3.endpoint}

Ctrl-C stops everything.
`);
} catch (error) {
  console.error(`npm start failed: ${(error as Error).message}`);
  await stopAll(1);
}
