/**
 * Local stand-in for Lambda's DynamoDB event source mapping: reads a table's
 * stream from DynamoDB Local shard by shard, hands the handler batches of
 * records shaped exactly as Lambda delivers them (DynamoDBStreamEvent), and
 * honours ReportBatchItemFailures: a failed batch is retried from its first
 * failed record, in order, before anything after it. New shards (DynamoDB
 * rolls them over) are picked up, each after its parent is done.
 *
 * `openStreamReader` is the same reading without a handler, for tests that
 * want the real records a change produced.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type AttributeValue as StreamAttributeValue,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** Any Lambda handler: its response is read as the event source mapping reads it (batchItemFailures, or success). */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<unknown>;
export type StartingPosition = 'LATEST' | 'TRIM_HORIZON';

// ---------------------------------------------------------------------------
// Records as Lambda delivers them

/** The SDK gives binary attributes as bytes; Lambda's JSON event carries them base64-encoded. */
function toLambdaValue(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  throw new Error('unknown attribute value type in stream record');
}

function toLambdaImage(image: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

/** One stream record as it appears in a DynamoDBStreamEvent (epoch seconds, base64 binaries, the stream ARN). */
function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const created = change.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(change.Keys ? { Keys: toLambdaImage(change.Keys) } : {}),
      ...(change.NewImage ? { NewImage: toLambdaImage(change.NewImage) } : {}),
      ...(change.OldImage ? { OldImage: toLambdaImage(change.OldImage) } : {}),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
}

// ---------------------------------------------------------------------------
// Reading shards

interface StreamClients {
  streams: DynamoDBStreamsClient;
  streamArn: string;
}

async function openClients(tableName: string, endpoint: string | undefined): Promise<StreamClients> {
  const tables = new DynamoDBClient({ endpoint });
  try {
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn || !Table?.StreamSpecification?.StreamEnabled) throw new Error(`Table ${tableName} has no stream enabled`);
    // DynamoDB Local serves the streams API on the same endpoint as the tables.
    return { streams: new DynamoDBStreamsClient({ endpoint }), streamArn };
  } finally {
    tables.destroy();
  }
}

async function listShards({ streams, streamArn }: StreamClients): Promise<Shard[]> {
  const shards: Shard[] = [];
  let ExclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
    shards.push(...(StreamDescription?.Shards ?? []));
    ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (ExclusiveStartShardId);
  return shards;
}

const bySequence = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** A position in one shard that can read forward, and go back to a record to read it again. */
class ShardCursor {
  private iterator: string | undefined;
  /** Last record handed out, to resume after an expired iterator. */
  private lastSequence: string | undefined;
  closed = false;

  constructor(
    private readonly clients: StreamClients,
    readonly shardId: string,
  ) {}

  async seek(type: ShardIteratorType, sequence?: string): Promise<void> {
    const { ShardIterator } = await this.clients.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.clients.streamArn,
        ShardId: this.shardId,
        ShardIteratorType: type,
        ...(sequence ? { SequenceNumber: sequence } : {}),
      }),
    );
    this.iterator = ShardIterator;
    this.closed = !ShardIterator;
  }

  /** Reads up to `limit` records as Lambda would deliver them; empty when nothing new is there yet. */
  async read(limit: number): Promise<DynamoDBRecord[]> {
    if (this.closed || !this.iterator) return [];
    let page;
    try {
      page = await this.clients.streams.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: limit }));
    } catch (error) {
      // Iterators expire after 15 minutes; start again right after what was read.
      if (!(error instanceof ExpiredIteratorException)) throw error;
      await this.seek(this.lastSequence ? 'AFTER_SEQUENCE_NUMBER' : 'LATEST', this.lastSequence);
      return [];
    }
    this.iterator = page.NextShardIterator;
    if (!page.NextShardIterator) this.closed = true;
    const records = (page.Records ?? []).map((record) => toLambdaRecord(record, this.clients.streamArn));
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) this.lastSequence = last;
    return records;
  }

  /** Reads `sequence` and what follows it again (a retry after a partial batch failure). */
  rewindTo(sequence: string): Promise<void> {
    return this.seek('AT_SEQUENCE_NUMBER', sequence);
  }
}

interface NewShard {
  cursor: ShardCursor;
  parentShardId: string | undefined;
  /** Where the cursor must seek before reading; undefined when it is already placed (or has nothing to read). */
  start: ShardIteratorType | undefined;
}

/**
 * The stream's shards not `known` yet, each with a cursor. At LATEST only open
 * shards count: a closed one holds only the past, so its cursor is closed; an
 * open one is pinned to its tip now, so whatever is written from here on is read.
 * From any other position nothing is read yet: the caller seeks when it is ready
 * (a child shard waits for its parent, and an iterator expires in 15 minutes).
 */
async function newShards(
  clients: StreamClients,
  known: { has(shardId: string): boolean },
  position: ShardIteratorType,
): Promise<NewShard[]> {
  const found: NewShard[] = [];
  for (const shard of await listShards(clients)) {
    if (!shard.ShardId || known.has(shard.ShardId)) continue;
    const cursor = new ShardCursor(clients, shard.ShardId);
    if (position === 'LATEST') {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) cursor.closed = true;
      else await cursor.seek('LATEST');
    }
    found.push({ cursor, parentShardId: shard.ParentShardId, start: position === 'LATEST' ? undefined : position });
  }
  return found;
}

export interface StreamReader {
  streamArn: string;
  /** Every record written since the reader opened (or since the last read), in order per shard. */
  readAll(): Promise<DynamoDBRecord[]>;
  close(): void;
}

/**
 * Opens the table's stream at LATEST: what is written afterwards, read when
 * asked. DynamoDB Local makes a record readable as soon as its write returns.
 */
export async function openStreamReader(tableName: string, options: { endpoint?: string } = {}): Promise<StreamReader> {
  const clients = await openClients(tableName, options.endpoint ?? process.env.DYNAMODB_ENDPOINT);
  const cursors = new Map<string, ShardCursor>();
  // At open only open shards count; a shard appearing later is read from its start.
  const discover = async (position: StartingPosition) => {
    for (const { cursor, start } of await newShards(clients, cursors, position)) {
      if (start) await cursor.seek(start);
      cursors.set(cursor.shardId, cursor);
    }
  };
  await discover('LATEST');
  return {
    streamArn: clients.streamArn,
    async readAll() {
      await discover('TRIM_HORIZON');
      const records: DynamoDBRecord[] = [];
      for (const cursor of cursors.values()) {
        for (;;) {
          const page = await cursor.read(1000);
          records.push(...page);
          if (page.length === 0) break;
        }
      }
      return records;
    },
    close: () => clients.streams.destroy(),
  };
}

// ---------------------------------------------------------------------------
// Polling, as the event source mapping does

export interface StreamPollerOptions {
  tableName: string;
  handler: StreamHandler;
  /** LATEST (default) starts at what is written from now on, as a new mapping would. */
  startingPosition?: StartingPosition;
  /** Records per invocation at most (the mapping's default: 100). */
  batchSize?: number;
  /** Pause when a shard has nothing new. */
  pollIntervalMs?: number;
  /** How often to look for new shards. */
  discoverEveryMs?: number;
  /**
   * Retries of a failing batch before it is dropped (in AWS: sent to the on-failure destination).
   * Default: retry for ever, logging every failure, so a broken setting is noticed rather than lost.
   */
  maxRetries?: number;
  /** Wait before retry `attempt` (1, 2, …). Default: 1 s doubling to 30 s. */
  retryDelayMs?: (attempt: number) => number;
  endpoint?: string;
  log?: (line: string) => void;
  /** Failures: loud by default (stderr). */
  logError?: (line: string) => void;
}

export interface StreamPoller {
  streamArn: string;
  stop(): Promise<void>;
}

const defaultRetryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * Where the retry of a partially failed batch starts: its lowest reported failure, or (undefined)
 * all of it; null when nothing failed. As Lambda reads it: no response, no or an empty
 * batchItemFailures list is success.
 */
function retryFrom(batch: DynamoDBRecord[], response: unknown): string | undefined | null {
  const failures = (response as Partial<DynamoDBBatchResponse> | null | undefined)?.batchItemFailures ?? [];
  if (!Array.isArray(failures)) return undefined;
  if (failures.length === 0) return null;
  const inBatch = new Set(batch.map((record) => record.dynamodb?.SequenceNumber));
  const identifiers = failures.map((failure: { itemIdentifier?: unknown }) => failure?.itemIdentifier);
  // As Lambda does: an empty or unknown identifier fails the whole batch.
  if (identifiers.some((id) => typeof id !== 'string' || !inBatch.has(id))) return undefined;
  return (identifiers as string[]).sort(bySequence)[0];
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const clients = await openClients(options.tableName, options.endpoint ?? process.env.DYNAMODB_ENDPOINT);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const log = options.log ?? (() => undefined);
  const logError = options.logError ?? ((line: string) => console.error(line));
  const stopping = new AbortController();
  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const running = new Map<string, Promise<void>>();

  /** Hands `records` to the handler until they are all processed (or dropped after maxRetries). */
  async function deliver(cursor: ShardCursor, records: DynamoDBRecord[]): Promise<'done' | 'retry'> {
    for (let attempt = 0; ; attempt++) {
      let from: string | undefined | null;
      let reason: string;
      try {
        from = retryFrom(records, await options.handler({ Records: records }));
        reason = 'reported batch item failures';
      } catch (error) {
        from = undefined;
        reason = `threw ${(error as Error).name}: ${(error as Error).message}`;
      }
      if (from === null) return 'done';
      const first = from ?? records[0]!.dynamodb!.SequenceNumber!;
      const remaining = records.filter((record) => bySequence(record.dynamodb!.SequenceNumber!, first) >= 0);
      if (attempt >= maxRetries) {
        logError(
          `STREAM BATCH DROPPED after ${attempt + 1} attempts: ${remaining.length} record(s) of ${options.tableName} from sequence ${first} ` +
            `(in AWS they would go to the on-failure destination). Handler ${reason}.`,
        );
        return 'done';
      }
      const wait = retryDelay(attempt + 1);
      logError(
        `STREAM BATCH FAILED (attempt ${attempt + 1}): handler ${reason}; retrying ${remaining.length} record(s) of ${options.tableName} ` +
          `from sequence ${first} in ${wait} ms. Nothing after them is processed until they succeed.`,
      );
      await pause(wait);
      if (stopping.signal.aborted) {
        // Stopped mid-retry: the next start reads from LATEST; say what is left behind.
        logError(`stream poller stopped with ${remaining.length} record(s) of ${options.tableName} unprocessed from sequence ${first}`);
        return 'retry';
      }
      // Read them again, as Lambda re-reads from the checkpoint (the record content is the stream's, not our copy).
      await cursor.rewindTo(first);
      records = await cursor.read(batchSize);
      if (records.length === 0) return 'done';
    }
  }

  /** `position` undefined: the cursor is already placed. */
  async function pollShard(cursor: ShardCursor, parent: Promise<void> | undefined, position?: ShardIteratorType): Promise<void> {
    await parent;
    if (stopping.signal.aborted) return;
    if (position) await cursor.seek(position);
    while (!stopping.signal.aborted && !cursor.closed) {
      try {
        const records = await cursor.read(batchSize);
        if (records.length === 0) {
          await pause(pollIntervalMs);
          continue;
        }
        if ((await deliver(cursor, records)) === 'retry') return;
      } catch (error) {
        if (stopping.signal.aborted) return;
        if (error instanceof TrimmedDataAccessException) {
          logError(`stream records of ${options.tableName} were trimmed before they were read; continuing from the oldest available`);
          await cursor.seek('TRIM_HORIZON');
          continue;
        }
        logError(`stream poller for ${options.tableName}, shard ${cursor.shardId}: ${(error as Error).message}; retrying`);
        await pause(1000);
      }
    }
    if (cursor.closed) log(`stream shard ${cursor.shardId} of ${options.tableName} is closed and fully read`);
  }

  /** At start, from the starting position; shards found later are new: read them whole. */
  async function discover(initial: boolean): Promise<void> {
    const position = initial ? (options.startingPosition ?? 'LATEST') : 'TRIM_HORIZON';
    for (const { cursor, parentShardId, start } of await newShards(clients, running, position)) {
      const parent = parentShardId ? running.get(parentShardId) : undefined;
      running.set(cursor.shardId, cursor.closed ? Promise.resolve() : pollShard(cursor, parent, start));
    }
  }

  await discover(true);
  const discovering = (async () => {
    while (!stopping.signal.aborted) {
      await pause(options.discoverEveryMs ?? 5000);
      if (stopping.signal.aborted) break;
      await discover(false).catch((error: Error) =>
        logError(`stream poller: listing shards of ${options.tableName} failed: ${error.message}`),
      );
    }
  })();

  log(`stream poller reading ${clients.streamArn}`);
  return {
    streamArn: clients.streamArn,
    async stop() {
      stopping.abort();
      await discovering;
      await Promise.allSettled(running.values());
      clients.streams.destroy();
    },
  };
}
