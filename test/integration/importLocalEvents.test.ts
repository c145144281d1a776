/**
 * The local runtime's S3 notifications (infra/local/s3Events.ts): s3rver's own
 * events become the events S3 sends — URL-encoded keys, CompleteMultipartUpload,
 * size, ETag, sequencer — for imports/ and sync/ only, retried like Lambda's
 * asynchronous invocations; end to end, `aws s3 cp` style uploads import.
 * This file runs its own s3rver (the global one's event emitter lives in another process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bucketName } from '#core/buckets.ts';
import { startS3, type RunningS3 } from '../../infra/local/engines.ts';
import { forwardS3Events } from '../../infra/local/s3Events.ts';
import { freshArea, usersInArea } from '../support/seats.ts';

let s3rver: RunningS3;
let client: S3Client;
let directory: string;
const bucket = bucketName('imports');

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'seatkeeper-s3-events-'));
  s3rver = await startS3({ directory });
  client = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
});
afterAll(async () => {
  client.destroy();
  await s3rver.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** Forwards into a list; `next()` resolves with the next event not yet taken. */
function capture(options: { failFirst?: number } = {}) {
  const events: S3Event[] = [];
  const waiting: ((event: S3Event) => void)[] = [];
  let calls = 0;
  let taken = 0;
  const stop = forwardS3Events(s3rver, {
    retryDelaysMs: [10, 10],
    invoke: async (event) => {
      calls++;
      if (calls <= (options.failFirst ?? 0)) throw new Error('function failed');
      events.push(event);
      waiting.shift()?.(event);
      return { jobs: [] };
    },
  });
  const next = () =>
    new Promise<S3Event>((resolve) => {
      const index = taken++;
      if (index < events.length) resolve(events[index]!);
      else waiting.push(resolve);
    });
  return { events, next, stop, calls: () => calls };
}

describe('local S3 notifications', () => {
  it('sends a Put as S3 does: key URL-encoded, size, eTag, an increasing sequencer', async () => {
    const forward = capture();
    try {
      const key = 'imports/primary/Q4 hires (draft) + Zoë.csv';
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'email\na@b.example\n' }));
      const first = (await forward.next()).Records[0]!;
      expect(first).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: 'imports/primary/Q4+hires+%28draft%29+%2B+Zo%C3%AB.csv', size: 18, eTag: put.ETag!.replace(/"/g, '') },
        },
      });
      expect(first.s3.object.versionId).toBeUndefined();
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'email\na@b.example\n' }));
      const second = (await forward.next()).Records[0]!;
      expect(second.s3.object.sequencer > first.s3.object.sequencer).toBe(true);
      expect(second.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
    } finally {
      await forward.stop();
    }
  });

  it('names a multipart upload CompleteMultipartUpload', async () => {
    const forward = capture();
    try {
      const body = Buffer.alloc(6 * 1024 * 1024, 'a'); // over lib-storage's 5 MB part size: two parts
      await new Upload({ client, params: { Bucket: bucket, Key: 'sync/okta/big.csv', Body: body } }).done();
      const record = (await forward.next()).Records[0]!;
      expect(record.eventName).toBe('ObjectCreated:CompleteMultipartUpload');
      expect(record.s3.object).toMatchObject({ key: 'sync/okta/big.csv', size: body.length });
    } finally {
      await forward.stop();
    }
  });

  it('forwards only imports/ and sync/ of the imports bucket, and retries a failed invocation', async () => {
    const forward = capture({ failFirst: 1 });
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/imports/x.csv.csv', Body: 'x' }));
      await client.send(new PutObjectCommand({ Bucket: bucketName('exports'), Key: 'imports/x.csv', Body: 'x' }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'sync/entra/users.csv', Body: 'x' }));
      const event = await forward.next();
      expect(event.Records[0]!.s3.object.key).toBe('sync/entra/users.csv');
      expect(forward.calls()).toBe(2);
      expect(forward.events).toHaveLength(1);
    } finally {
      await forward.stop();
    }
  });

  it('end to end: a file put into s3rver is imported by the import function', async () => {
    // The import function's S3 client must read from this file's s3rver: load it with that endpoint.
    const globalEndpoint = process.env.S3_ENDPOINT;
    process.env.S3_ENDPOINT = s3rver.endpoint;
    const { handler } = await import('../../functions/import/handler.ts');
    const { findJob, jobIdForKey } = await import('#core/importJobRecord.ts');
    process.env.S3_ENDPOINT = globalEndpoint;
    const results: unknown[] = [];
    const stop = forwardS3Events(s3rver, { invoke: async (event, context) => results.push(await handler(event, context)) });
    try {
      const area = await freshArea(10);
      const key = `imports/${area}/people from cli.csv`;
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'Email,Name\nann@local-e2e.example,Ann\nbob@local-e2e.example,Bob\n' }),
      );
      const job = await vi.waitUntil(
        async () => {
          const found = await findJob(jobIdForKey(key));
          return found?.finishedAt ? found : undefined;
        },
        { timeout: 20_000, interval: 100 },
      );
      expect(job).toMatchObject({ status: 'succeeded', key, counts: { created: 2 } });
      expect((await usersInArea(area)).map((u) => u.name).sort()).toEqual(['Ann', 'Bob']);
    } finally {
      await stop();
    }
  });
});
