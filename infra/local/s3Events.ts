/**
 * S3 bucket notifications for the local runtime. s3rver implements none: it
 * only emits its own events, with keys not URL-encoded, a made-up sequencer
 * (the millisecond, so two writes in one millisecond collide) and
 * "ObjectCreated:Post" for a completed multipart upload. This module turns
 * those into the events S3 sends Lambda — key URL-encoded ('+' for a space),
 * CompleteMultipartUpload, size, eTag, a unique increasing sequencer — and
 * invokes the import function the way Lambda's asynchronous invocation does
 * (a failed invocation is retried twice, then given up: asyncInvocation.ts),
 * for ObjectCreated in imports/ and sync/.
 */
import { randomBytes, createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { bucketName } from '#core/buckets.ts';
import { IMPORT_TIMEOUT_MS } from '#core/importConfig.ts';
import type { ImportResult } from '../../functions/import/handler.ts';
import { IMPORT_PREFIXES } from '#core/importKeys.ts';
import { asyncInvoker } from './asyncInvocation.ts';
import type { RunningS3 } from './engines.ts';
import { lambdaContext } from './server.ts';

/**
 * How S3 writes a key into an event: application/x-www-form-urlencoded style,
 * UTF-8 bytes percent-encoded, a space as '+', letters, digits and `-_.*` and
 * the '/' between "folders" left as they are.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

let lastSequencer = 0n;

/** S3's sequencer: hexadecimal, increasing per key; these increase per process, even within a millisecond. */
function nextSequencer(): string {
  const now = BigInt(Date.now()) << 16n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

export interface ObjectCreated {
  bucket: string;
  /** The key as stored (not encoded). */
  key: string;
  size: number;
  eTag: string;
  /** Only versioned buckets have one; s3rver's do not. */
  versionId?: string;
  /** ObjectCreated:Put | Post | Copy | CompleteMultipartUpload */
  eventName?: string;
  sequencer?: string;
  sourceIp?: string;
  eventTime?: Date;
}

/** The event S3 sends Lambda for one created object (event structure version 2.1). */
export function objectCreatedEvent(object: ObjectCreated): S3Event {
  const record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
    eventTime: (object.eventTime ?? new Date()).toISOString(),
    eventName: object.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: `AWS:AIDA${hex(8)}` },
    requestParameters: { sourceIPAddress: object.sourceIp ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': hex(8),
      'x-amz-id-2': createHash('sha256').update(hex(16)).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'seatkeeper-imports',
      bucket: { name: object.bucket, ownerIdentity: { principalId: 'A3LOCALOWNER' }, arn: `arn:aws:s3:::${object.bucket}` },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size,
        eTag: object.eTag.replace(/"/g, ''),
        ...(object.versionId ? { versionId: object.versionId } : {}),
        sequencer: object.sequencer ?? nextSequencer(),
      },
    },
  };
  return { Records: [record] };
}

/** What s3rver emits (its models/event.js): one record, key as stored, eTag unquoted. */
interface S3rverEvent {
  Records: {
    eventName: string;
    eventTime: string;
    requestParameters?: { sourceIPAddress?: string };
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

interface S3rverEmitter {
  on(event: 'event', listener: (event: S3rverEvent) => void): unknown;
  off(event: 'event', listener: (event: S3rverEvent) => void): unknown;
  httpServer?: Server;
}

export type S3EventInvoker = (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export interface ForwardOptions {
  invoke: S3EventInvoker;
  /** Which objects notify: the imports bucket's imports/ and sync/ (as the stack configures S3). */
  bucket?: string;
  prefixes?: readonly string[];
  /** Waits before the two retries of a failed invocation (default Lambda's: 1 and 2 minutes). */
  retryDelaysMs?: readonly number[];
  log?: (line: string) => void;
}

/**
 * Routes s3rver's object events to `invoke` as S3 would. Returns a stop
 * function that unsubscribes, drops retries not yet due and waits for invocations in flight.
 */
export function forwardS3Events(s3: Pick<RunningS3, 'server'>, options: ForwardOptions): () => Promise<void> {
  const emitter = s3.server as unknown as S3rverEmitter;
  const bucket = options.bucket ?? bucketName('imports');
  const prefixes = options.prefixes ?? IMPORT_PREFIXES;
  const invoker = asyncInvoker({ retryDelaysMs: options.retryDelaysMs, log: options.log });

  // s3rver reports a completed multipart upload as "Post", like a browser form upload.
  // The completion is a POST with ?uploadId=…; note its path while it runs to tell the two apart.
  const completing = new Map<string, number>();
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (request.method !== 'POST' || !url.searchParams.has('uploadId')) return;
    const path = decodeURIComponent(url.pathname);
    completing.set(path, (completing.get(path) ?? 0) + 1);
    response.once('close', () => {
      const left = (completing.get(path) ?? 1) - 1;
      if (left > 0) completing.set(path, left);
      else completing.delete(path);
    });
  };
  emitter.httpServer?.on('request', onRequest);

  const onEvent = (event: S3rverEvent) => {
    for (const record of event.Records ?? []) {
      const {
        bucket: { name },
        object,
      } = record.s3;
      if (name !== bucket || !record.eventName.startsWith('ObjectCreated:')) continue;
      if (!prefixes.some((prefix) => object.key.startsWith(prefix))) continue;
      const multipart = completing.has(`/${name}/${object.key}`) || completing.has(`/${object.key}`);
      const eventName = record.eventName === 'ObjectCreated:Post' && multipart ? 'ObjectCreated:CompleteMultipartUpload' : record.eventName;
      const created = objectCreatedEvent({
        bucket: name,
        key: object.key,
        size: object.size ?? 0,
        eTag: object.eTag ?? '',
        eventName,
        sourceIp: record.requestParameters?.sourceIPAddress,
        eventTime: new Date(record.eventTime),
      });
      // The import function's whole timeout: a waiting duplicate delivery may use it.
      invoker.invoke(
        `S3 ${eventName} s3://${name}/${object.key}`,
        () => options.invoke(created, lambdaContext('import', IMPORT_TIMEOUT_MS)),
        summarize,
      );
    }
  };
  emitter.on('event', onEvent);

  return async () => {
    emitter.off('event', onEvent);
    emitter.httpServer?.off('request', onRequest);
    await invoker.stop();
  };
}

/** How an import invocation ended, for the log: each job's status and counts, and where to read it. */
export function summarize(result: unknown): string {
  const jobs = (result as ImportResult | undefined)?.jobs;
  if (!jobs?.length) return 'not an import';
  return jobs
    .map((job) => {
      const counts = job.counts
        ? Object.entries(job.counts)
            .filter(([, n]) => n > 0)
            .map(([name, n]) => `${name} ${n}`)
            .join(', ')
        : '';
      return `import ${job.status}${job.failure ? ` (${job.failure.code})` : counts ? ` (${counts})` : ''} — GET /imports/${job.id}`;
    })
    .join('; ');
}
