/**
 * Recovering an interrupted import. Locally an S3 event is retried as Lambda
 * retries an asynchronous invocation (three attempts, then given up: on AWS
 * the event would wait in FailedEvents); a job still interrupted after that
 * says to POST /imports/{id}/retry, which resumes it from the stored object
 * version through the import function, with no seat taken twice.
 *
 * End to end on this machine's path: s3rver's event → the forwarder → the
 * import function; the route → InvokeCommand → the local Lambda service → the
 * import function. This file runs its own s3rver (the global one's event
 * emitter lives in another process), so the clients must load after
 * S3_ENDPOINT and LAMBDA_ENDPOINT point at it: handlers are loaded in beforeAll.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient, dynamodb } from '#clients/dynamodb.ts';
import { bucketName } from '#core/buckets.ts';
import { findJob, jobIdForKey, keysOfId, type ImportJob } from '#core/importJobRecord.ts';
import { tableName } from '#core/tables.ts';
import { startS3, type RunningS3 } from '../../infra/local/engines.ts';
import { loadHandler } from '../../infra/local/functions.ts';
import { startLambdaService, type LambdaService } from '../../infra/local/lambdaService.ts';
import { forwardS3Events } from '../../infra/local/s3Events.ts';
import { lambdaContext } from '../../infra/local/server.ts';
import { useLocalApi } from '../support/localApi.ts';
import { intercept, outageAt } from '../support/sdkHooks.ts';
import { expectInvariant, freshArea, usersInArea } from '../support/seats.ts';

const bucket = bucketName('imports');
const RETRY_DELAYS_MS = [50, 50];
const logs: string[] = [];
let s3rver: RunningS3;
let directory: string;
let client: S3Client;
let lambdaService: LambdaService;
let stopForwarding: () => Promise<void>;
const globalS3Endpoint = process.env.S3_ENDPOINT;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'seatkeeper-import-retry-'));
  s3rver = await startS3({ directory });
  client = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  lambdaService = await startLambdaService({ retryDelaysMs: RETRY_DELAYS_MS, log: (line) => logs.push(line) });
  Object.assign(process.env, { S3_ENDPOINT: s3rver.endpoint, LAMBDA_ENDPOINT: lambdaService.endpoint, IMPORT_BUSY_POLL_MS: '100' });
  const importHandler = await loadHandler('import');
  stopForwarding = forwardS3Events(s3rver, {
    invoke: (event, context) => importHandler(event, context),
    retryDelaysMs: RETRY_DELAYS_MS,
    log: (line) => logs.push(line),
  });
});
// Registered after the hook above, so the route handlers load with these endpoints.
const api = useLocalApi();
afterAll(async () => {
  await stopForwarding?.();
  await lambdaService?.stop();
  client?.destroy();
  await s3rver?.stop();
  rmSync(directory, { recursive: true, force: true });
  process.env.S3_ENDPOINT = globalS3Endpoint;
  delete process.env.LAMBDA_ENDPOINT;
  delete process.env.IMPORT_BUSY_POLL_MS;
});

const outages: { remove: () => void }[] = [];
afterEach(() => outages.splice(0).forEach((outage) => outage.remove()));

const peopleFile = (n: number) => {
  const domain = `${randomUUID().slice(0, 8)}.example.com`;
  return ['email,name', ...Array.from({ length: n }, (_, i) => `person${i + 1}@${domain},Person ${i + 1}`)].join('\n') + '\n';
};

async function upload(area: string, rows: number): Promise<string> {
  const key = `imports/${area}/${randomUUID().slice(0, 8)}.csv`;
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: peopleFile(rows) }));
  return key;
}

const jobOf = async (key: string): Promise<ImportJob | undefined> => findJob(jobIdForKey(key));

/** Waits for the job to reach `status` (an interrupted one: once the forwarder has given its event up). */
async function jobReaching(key: string, status: ImportJob['status']): Promise<ImportJob> {
  return vi.waitUntil(
    async () => {
      const job = await jobOf(key);
      if (job?.status !== status) return undefined;
      return status !== 'interrupted' || logs.some((line) => line.includes(key) && line.includes('given up')) ? job : undefined;
    },
    { timeout: 30_000, interval: 50 },
  );
}

/** Every DynamoDB transaction after the first `allowed` fails, as in a DynamoDB outage, until the test ends. */
function transactionsFailAfter(allowed: number): void {
  let sent = 0;
  outages.push(
    intercept(dynamodb, async (command, _input, send) => {
      if (command === 'TransactWriteItemsCommand' && ++sent > allowed)
        throw Object.assign(new Error('injected outage'), { name: 'ServiceUnavailable' });
      return send();
    }),
  );
}

/** An upload of `rows` people whose first attempt wrote one chunk (49 users) before DynamoDB went down for every attempt. */
async function interruptedImport(rows: number): Promise<{ area: string; key: string; job: ImportJob }> {
  const area = await freshArea(500);
  transactionsFailAfter(1);
  const key = await upload(area, rows);
  const job = await jobReaching(key, 'interrupted');
  outages.splice(0).forEach((outage) => outage.remove());
  return { area, key, job };
}

describe('the local S3 event retries like Lambda’s asynchronous invocation', () => {
  it('an import whose first attempt fails completes through the retry, rows of the first attempt counted once', async () => {
    const area = await freshArea(500);
    outages.push(outageAt(dynamodb, 'TransactWriteItemsCommand', 2));
    const key = await upload(area, 150);
    const job = await jobReaching(key, 'succeeded');
    expect(job).toMatchObject({
      attempts: 2,
      counts: { rows: 150, created: 101, skippedExisting: 49 },
      byReason: { WRITTEN_BY_EARLIER_ATTEMPT: 49 },
    });
    expect(logs.filter((line) => line.includes(key))).toEqual([
      expect.stringMatching(/→ failed \(injected outage\); retrying in 50 ms$/),
      expect.stringMatching(/→ import succeeded \(.*created 101.*\)/),
    ]);
    expect(await usersInArea(area)).toHaveLength(150);
    await expectInvariant(area);
  });

  it('after three failed attempts the event is given up, and the job says to POST /imports/{id}/retry', async () => {
    const { area, key, job } = await interruptedImport(150);
    expect(job).toMatchObject({ status: 'interrupted', attempts: 3 });
    expect(job.lastError).toMatch(/^ServiceUnavailable during writing/);
    expect(job.lastError).toContain(`POST /imports/${job.id}/retry`);
    expect(logs.filter((line) => line.includes(key)).at(-1)).toMatch(
      /failed 3 times \(injected outage\); given up: on AWS the event would now wait in the FailedEvents queue$/,
    );
    // GET /imports/{id} shows the same advice.
    expect((await api('GET', `/imports/${jobIdForKey(key)}`)).body.job.lastError).toContain(`POST /imports/${job.id}/retry`);
    expect(await usersInArea(area)).toHaveLength(49);
    await expectInvariant(area);
  });
});

describe('POST /imports/{id}/retry', () => {
  it('resumes an interrupted import from its stored version: 202, then the job completes with no seat taken twice', async () => {
    const { area, key, job } = await interruptedImport(150);
    const retry = await api('POST', `/imports/${jobIdForKey(key)}/retry`);
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    expect(retry.body.job).toMatchObject({ id: job.id, status: 'interrupted', key });
    expect(retry.headers.get('location')).toBe(`/imports/${job.id}`);

    const done = await jobReaching(key, 'succeeded');
    expect(done).toMatchObject({
      id: job.id,
      attempts: 4,
      counts: { rows: 150, created: 101, skippedExisting: 49 },
      byReason: { WRITTEN_BY_EARLIER_ATTEMPT: 49 },
    });
    expect(done.lastError).toBeUndefined();
    expect(logs).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Lambda import \\(asynchronous invocation\\) → import succeeded .*GET /imports/${job.id.replace('.', '\\.')}`),
      ),
    );
    expect((await usersInArea(area)).length).toBe(150);
    // The counters equal a scan of the users: nobody counted twice.
    await expectInvariant(area);

    // Finished: a further retry is refused and changes nothing.
    const again = await api('POST', `/imports/${job.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'IMPORT_NOT_RETRYABLE', details: { id: job.id, status: 'succeeded' } });
    expect(again.body.error.message).toMatch(/has finished \(succeeded\).*upload it again/);
    expect(await findJob(job.id)).toMatchObject({ attempts: 4 });
  });

  it('two retries sent at once run the job once', async () => {
    const { area, key, job } = await interruptedImport(120);
    const answers = await Promise.all([api('POST', `/imports/${job.id}/retry`), api('POST', `/imports/${job.id}/retry`)]);
    expect(answers.map((a) => a.status)).toContain(202);
    for (const answer of answers.filter((a) => a.status !== 202))
      expect(answer.body.error).toMatchObject({ code: 'IMPORT_NOT_RETRYABLE', details: { status: 'running' } });
    const done = await jobReaching(key, 'succeeded');
    // Let a second invocation, if any, find the job done.
    await vi.waitUntil(
      () =>
        logs.filter((line) => line.startsWith('Lambda import') && line.includes(job.id)).length ===
        answers.filter((a) => a.status === 202).length,
      { timeout: 10_000 },
    );
    expect(await findJob(job.id)).toMatchObject({ attempts: 4, counts: { rows: 120, created: 71, skippedExisting: 49 } });
    expect(done.counts?.created).toBe(71);
    expect(await usersInArea(area)).toHaveLength(120);
    await expectInvariant(area);
  });

  it('404 IMPORT_NOT_FOUND for no job; 409 IMPORT_NOT_RETRYABLE while it runs; 403 without people-admin; 400 for a body', async () => {
    const missing = await api('POST', `/imports/${jobIdForKey(`imports/${randomUUID()}.csv`)}/retry`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('IMPORT_NOT_FOUND');

    // A job another delivery holds right now (a live lease).
    const { claimJob } = await import('../../functions/import/jobLease.ts');
    const { importConfig } = await import('#core/importConfig.ts');
    const area = await freshArea(5);
    const claim = await claimJob(
      { source: { bucket, key: `imports/${area}/held.csv`, sequencer: '0A1B2C' }, mode: 'upload', area },
      importConfig(),
    );
    if (claim.state !== 'claimed') throw new Error('expected a fresh claim');
    try {
      const running = await api('POST', `/imports/${claim.lease.id}/retry`);
      expect(running.status).toBe(409);
      expect(running.body.error).toMatchObject({ code: 'IMPORT_NOT_RETRYABLE', details: { id: claim.lease.id, status: 'running' } });
      expect(running.body.error.message).toContain(`GET /imports/${claim.lease.id}`);
      expect(await findJob(claim.lease.id)).toMatchObject({ status: 'running', attempts: 1 });

      expect((await api('POST', `/imports/${claim.lease.id}/retry`, { groups: ['license-admin'] })).status).toBe(403);
      const withBody = await api('POST', `/imports/${claim.lease.id}/retry`, { body: { force: true } });
      expect(withBody.status).toBe(400);
      expect(withBody.body.error.details.issues).toEqual([{ field: 'force', problem: 'is not a known field' }]);
    } finally {
      await claim.lease.abandon();
    }
  });

  it('409 for an interrupted job recorded before jobs kept what names their upload (no version, no sequencer): upload it again', async () => {
    const { claimJob } = await import('../../functions/import/jobLease.ts');
    const { importConfig } = await import('#core/importConfig.ts');
    const area = await freshArea(5);
    const claim = await claimJob(
      { source: { bucket, key: `imports/${area}/old.csv`, sequencer: '0A1B2D' }, mode: 'upload', area },
      importConfig(),
    );
    if (claim.state !== 'claimed') throw new Error('expected a fresh claim');
    await claim.lease.abandon();
    const { pk, sk } = keysOfId(claim.lease.id);
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: { pk, sk },
        UpdateExpression: 'SET #status = :interrupted, leaseExpiresAt = :zero REMOVE sequencer',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':interrupted': 'interrupted', ':zero': 0 },
      }),
    );
    const old = await api('POST', `/imports/${claim.lease.id}/retry`);
    expect(old.status).toBe(409);
    expect(old.body.error).toMatchObject({ code: 'IMPORT_NOT_RETRYABLE', details: { status: 'interrupted' } });
    expect(old.body.error.message).toMatch(/upload the file again/);
  });

  it('the import function ignores a retry event naming no job', async () => {
    const handler = await loadHandler('import');
    expect(
      await handler({ importRetry: { jobId: `${jobIdForKey('imports/none.csv')}.AAAAAAAAAAAAAAAA` } }, lambdaContext('import')),
    ).toEqual({ jobs: [] });
  });
});
