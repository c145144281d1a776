/**
 * The local runtime's stream poller: it reads the seats table's stream as
 * Lambda's event source mapping would, feeds the notifier real-shaped events,
 * and retries failed batches from the first failed record. Other test files
 * write the same table at the same time, so each test only looks at its own area.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { setAreaLimit } from '#core/license.ts';
import { createUser } from '#core/people.ts';
import { tableName } from '#core/tables.ts';
import { createNotifier } from '../../functions/notify/handler.ts';
import { startStreamPoller, type StreamPoller } from '../../infra/local/streamPoller.ts';
import { freshArea, uniqueEmail } from '../support/seats.ts';

type AreaHandler = (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;

const areaOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.area?.S ?? '';
const handlers = new Map<string, AreaHandler>();
const errors: string[] = [];
let poller: StreamPoller;

/** Hands each registered area its records; everything else (other test files) is acknowledged untouched. */
async function dispatch(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const [area, handle] of handlers) {
    const mine = event.Records.filter((record) => areaOf(record) === area);
    if (mine.length === 0) continue;
    const response = await handle(mine);
    if (response.batchItemFailures.length) return response;
  }
  return { batchItemFailures: [] };
}

beforeAll(async () => {
  process.env.ALERT_WARNING_SHARE = '1';
  poller = await startStreamPoller({
    tableName: tableName('seats'),
    handler: dispatch,
    pollIntervalMs: 50,
    retryDelayMs: () => 100,
    logError: (line) => errors.push(line),
  });
});
afterAll(() => poller.stop());

/** Waits for a condition the poller reaches in its own time. */
const until = <T>(condition: () => Promise<T> | T) => vi.waitUntil(condition, { timeout: 20_000, interval: 100 });

async function mailTo(address: string): Promise<{ subject: string }[]> {
  const store = (await (await fetch(`${process.env.SES_ENDPOINT}/store`)).json()) as {
    emails: { subject: string; destination: { to: string[] } }[];
  };
  return store.emails.filter((email) => email.destination.to.includes(address));
}

const fillArea = (area: string, seats: number) =>
  Promise.allSettled(Array.from({ length: seats + 2 }, () => createUser({ email: uniqueEmail(), area, source: 'api' })));

describe('local stream poller', () => {
  it('feeds the notifier real-shaped stream events: a filled area emails its admins', async () => {
    const recipient = uniqueEmail('poller');
    process.env.ALERT_EMAILS = recipient;
    const notifier = createNotifier();
    const events: DynamoDBRecord[][] = [];
    // Named before it exists, so its very first record (INSERT) is ours too.
    const area = `poll-${randomUUID().slice(0, 8)}`;
    handlers.set(area, async (records) => {
      events.push(records);
      return notifier({ Records: records });
    });
    await setAreaLimit(area, 3);
    await fillArea(area, 3);
    const mail = await until(async () => {
      const mail = await mailTo(recipient);
      return mail.length ? mail : undefined;
    });
    expect(mail.map((m) => m.subject)).toEqual([`Seatkeeper: area "${area}" has reached its licence limit (3 of 3)`]);

    const [created, ...changes] = events.flat();
    expect(created).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      eventSourceARN: poller.streamArn,
      eventID: expect.any(String),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { area: { S: area } },
        NewImage: { area: { S: area }, seatLimit: { N: '3' }, available: { N: '3' }, active: { N: '0' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(created!.dynamodb!.OldImage).toBeUndefined();
    expect(changes[0]).toMatchObject({
      eventName: 'MODIFY',
      dynamodb: { OldImage: { active: { N: '0' } }, NewImage: { active: { N: '1' } } },
    });
    // In stream order.
    const sequences = events.flat().map((record) => BigInt(record.dynamodb!.SequenceNumber!));
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
    handlers.delete(area);
  });

  it('retries a batch whose handler threw, loudly, and the alert still goes out once', async () => {
    const recipient = uniqueEmail('retry');
    process.env.ALERT_EMAILS = recipient;
    const notifier = createNotifier();
    const area = await freshArea(2, 'throw');
    let attempts = 0;
    handlers.set(area, async (records) => {
      attempts += 1;
      if (attempts === 1) throw new Error('SES is down');
      return notifier({ Records: records });
    });
    await fillArea(area, 2);
    await until(async () => (await mailTo(recipient)).length > 0);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(errors.some((line) => line.startsWith('STREAM BATCH FAILED (attempt 1): handler threw Error: SES is down'))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailTo(recipient)).toHaveLength(1);
    handlers.delete(area);
  });

  it('honours batchItemFailures: the retry starts at the first failed record, earlier ones are not re-delivered', async () => {
    const area = `partial-${randomUUID().slice(0, 8)}`;
    const deliveries: string[][] = [];
    let writesDone!: () => void;
    const written = new Promise<void>((resolve) => (writesDone = resolve));
    let failedAt: number | undefined;
    handlers.set(area, async (records) => {
      deliveries.push(records.map((record) => record.dynamodb!.SequenceNumber!));
      // Hold the first batch until the four creates are written, so a later batch holds several records.
      if (deliveries.length === 1) await written;
      if (failedAt === undefined && records.length >= 2) {
        failedAt = deliveries.length - 1;
        return { batchItemFailures: [{ itemIdentifier: records[1]!.dynamodb!.SequenceNumber! }] };
      }
      return { batchItemFailures: [] };
    });
    await setAreaLimit(area, 5);
    for (let i = 0; i < 4; i++) await createUser({ email: uniqueEmail(), area, source: 'api' });
    writesDone();
    await until(() => failedAt !== undefined && deliveries.length > failedAt + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Five records (the area's creation and four seats), each delivered once, except those from the failed one on.
    const firstDeliveries = deliveries.slice(0, failedAt! + 1).flat();
    expect(new Set(firstDeliveries).size).toBe(firstDeliveries.length);
    const failedBatch = deliveries[failedAt!]!;
    const retry = deliveries[failedAt! + 1]!;
    const everything = [...new Set(deliveries.flat())];
    expect(everything).toHaveLength(5);
    expect(retry).toEqual(everything.slice(everything.indexOf(failedBatch[1]!)));
    expect(deliveries.slice(failedAt! + 2)).toEqual([]);
    handlers.delete(area);
  });

  it('drops a batch after maxRetries with a loud message (in AWS: the on-failure destination)', async () => {
    const area = await freshArea(5, 'drop');
    const lines: string[] = [];
    let calls = 0;
    const dropping = await startStreamPoller({
      tableName: tableName('seats'),
      handler: async (event) => {
        if (!event.Records.some((record) => areaOf(record) === area)) return { batchItemFailures: [] };
        calls += 1;
        throw new Error('always broken');
      },
      pollIntervalMs: 50,
      maxRetries: 2,
      retryDelayMs: () => 50,
      logError: (line) => lines.push(line),
    });
    try {
      await createUser({ email: uniqueEmail(), area, source: 'api' });
      await until(() => lines.some((line) => line.startsWith('STREAM BATCH DROPPED after 3 attempts')));
      expect(calls).toBe(3);
      expect(lines.filter((line) => line.startsWith('STREAM BATCH FAILED'))).toHaveLength(2);
    } finally {
      await dropping.stop();
    }
  });
});
