/**
 * The lease on an import job: what makes S3's at-least-once delivery safe. The
 * first delivery claims the job with a lease, a duplicate finds it running
 * (waits) or finished (does nothing), and a delivery after a crash, or a retry
 * an administrator asks for (POST /imports/{id}/retry), finds the lease expired
 * and takes the job over. Only the lease's holder writes the job's progress and
 * outcome. The record itself (shape, key, reading and listing it) is
 * functions/core/importJobRecord.ts; a sync run's turn among its directory's
 * other runs is directoryTurn.ts.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import {
  IMPORT_JOB_KIND,
  jobIdOf,
  keysOfId,
  retryAdvice,
  toJob,
  uploadIdOf,
  type ImportCounts,
  type ImportJob,
  type ImportJobItem,
  type ImportSource,
} from '#core/importJobRecord.ts';
import { tableName, ttlAfterDays } from '#core/tables.ts';
import type { ImportConfig } from '#core/importConfig.ts';
import { reportKeyFor } from '#core/importKeys.ts';
import type { FileFailureCode, RowReason } from './importOutcome.ts';

/** `SET #a = :a, …` from an object, skipping undefined values; `ifNew` keys keep their first value. */
function setExpression(values: Record<string, unknown>, ifNew: readonly string[] = []) {
  const names: Record<string, string> = {};
  const attributeValues: Record<string, unknown> = {};
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    attributeValues[`:${name}`] = value;
    parts.push(ifNew.includes(name) ? `#${name} = if_not_exists(#${name}, :${name})` : `#${name} = :${name}`);
  }
  return { expression: `SET ${parts.join(', ')}`, names, values: attributeValues };
}

export type Claim =
  { state: 'claimed'; lease: JobLease } | { state: 'done'; job: ImportJob } | { state: 'busy'; job: ImportJob; leaseExpiresAt: number };

export interface ClaimInput {
  source: ImportSource;
  mode: 'upload' | 'sync';
  area?: string;
  directory?: string;
  blockAbsent?: boolean;
}

/**
 * Claims the job for this process: creates it, or takes over one whose lease
 * expired (a crash) or that an earlier attempt released after an error.
 */
export async function claimJob(input: ClaimInput, config: ImportConfig): Promise<Claim> {
  const { source } = input;
  const uploadId = uploadIdOf(source);
  const id = jobIdOf(source);
  const owner = randomUUID();
  const now = new Date();
  const set = setExpression(
    {
      kind: IMPORT_JOB_KIND,
      id,
      createdAt: now.toISOString(),
      expiresAt: ttlAfterDays(config.jobRetentionDays, now),
      firstStartedAt: now.toISOString(),
      bucket: source.bucket,
      key: source.key,
      versionId: source.versionId,
      eTag: source.eTag,
      sequencer: source.sequencer,
      mode: input.mode,
      area: input.area,
      directory: input.directory,
      blockAbsent: input.blockAbsent,
      reportKey: reportKeyFor(source.key, uploadId),
      status: 'running',
      leaseOwner: owner,
      leaseExpiresAt: now.getTime() + config.leaseMs,
      startedAt: now.toISOString(),
    },
    // Kept from the first attempt: the listing order, the TTL, and the start that tells rows an earlier attempt wrote.
    ['createdAt', 'expiresAt', 'firstStartedAt', 'blockAbsent'],
  );
  try {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName('jobs'),
        Key: keysOfId(id),
        // A new attempt starts afresh: the last one's error, with its advice to retry, goes (a failure of this one writes its own).
        UpdateExpression: `${set.expression} REMOVE #lastError ADD #attempts :one`,
        ConditionExpression: 'attribute_not_exists(#pk) OR ((#status = :status OR #status = :interrupted) AND #leaseExpiresAt < :nowMs)',
        ExpressionAttributeNames: { ...set.names, '#attempts': 'attempts', '#pk': 'pk', '#lastError': 'lastError' },
        ExpressionAttributeValues: { ...set.values, ':one': 1, ':interrupted': 'interrupted', ':nowMs': now.getTime() },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const item = Attributes as ImportJobItem;
    return { state: 'claimed', lease: new JobLease(owner, item, config) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const item = error.Item ? (unmarshall(error.Item) as ImportJobItem) : undefined;
    if (!item) throw error;
    const job = toJob(item);
    if (job.status === 'running' || job.status === 'interrupted') return { state: 'busy', job, leaseExpiresAt: item.leaseExpiresAt };
    return { state: 'done', job };
  }
}

/** Another delivery took the job over (this one's lease expired): stop without writing more. */
export class LeaseLostError extends Error {
  constructor() {
    super('The import lease was taken over by another delivery');
    this.name = 'LeaseLostError';
  }
}

export interface JobResult {
  status: 'succeeded' | 'failed' | 'skipped';
  counts: ImportCounts;
  byReason: Partial<Record<RowReason, number>>;
  failure?: { code: FileFailureCode; message: string; line?: number };
}

/**
 * This process's hold on a job. A timer renews the lease while the process
 * lives (a long DynamoDB call does not lose it); a crash stops the renewals
 * and the lease runs out, so a later delivery can take over.
 */
export class JobLease {
  readonly id: string;
  readonly attempt: number;
  /** When the first attempt started (epoch ms). */
  private readonly firstStartedAt: number;
  readonly job: ImportJob;
  private readonly key: { pk: string; sk: string };
  private progress = { phase: 'starting', rowsRead: 0 };
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly owner: string,
    item: ImportJobItem,
    private readonly config: ImportConfig,
  ) {
    this.key = { pk: item.pk, sk: item.sk };
    this.id = item.id;
    this.attempt = Number(item.attempts);
    this.firstStartedAt = Date.parse(item.firstStartedAt);
    this.job = toJob(item);
    this.timer = setInterval(() => {
      this.renewing = this.renew().catch(() => undefined);
    }, config.heartbeatMs);
    this.timer.unref();
  }

  /** Whether a write at `time` (epoch ms) may be this job's own, by an earlier, interrupted attempt. */
  mayBeEarlierAttempt(time: number): boolean {
    return this.attempt > 1 && time >= this.firstStartedAt;
  }

  /** Progress for GET /imports/{id}; written with the next renewal. */
  report(phase: string, rowsRead: number): void {
    this.progress = { phase, rowsRead };
  }

  /** Throws LeaseLostError once another delivery has taken the job. */
  check(): void {
    if (this.lost) throw new LeaseLostError();
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    try {
      await this.update(
        'SET #leaseExpiresAt = :expires, #progress = :progress',
        { '#leaseExpiresAt': 'leaseExpiresAt', '#progress': 'progress' },
        { ':expires': Date.now() + this.config.leaseMs, ':progress': this.progress },
      );
    } catch (error) {
      if (error instanceof LeaseLostError) this.lost = true;
      else throw error;
    }
  }

  /** An update of the job on condition that this process still holds it; `names` and `values` are the ones `set` uses. */
  private async update(
    set: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    returnValues: 'NONE' | 'ALL_NEW' = 'NONE',
  ) {
    try {
      const { Attributes } = await documentClient.send(
        new UpdateCommand({
          TableName: tableName('jobs'),
          Key: this.key,
          UpdateExpression: set,
          ConditionExpression: '#leaseOwner = :owner AND #status = :running',
          ExpressionAttributeNames: { '#leaseOwner': 'leaseOwner', '#status': 'status', ...names },
          ExpressionAttributeValues: { ':owner': this.owner, ':running': 'running', ...values },
          ReturnValues: returnValues,
        }),
      );
      return Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new LeaseLostError();
      throw error;
    }
  }

  private async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
  }

  /** Records the outcome; only the holder of the lease can. */
  async finish(result: JobResult): Promise<ImportJob> {
    await this.stop();
    this.check();
    const item = await this.update(
      'SET #status = :status, #counts = :counts, #byReason = :byReason, #finishedAt = :now, #leaseExpiresAt = :zero, #progress = :progress' +
        (result.failure ? ', #failure = :failure' : ''),
      {
        '#counts': 'counts',
        '#byReason': 'byReason',
        '#finishedAt': 'finishedAt',
        '#leaseExpiresAt': 'leaseExpiresAt',
        '#progress': 'progress',
        ...(result.failure ? { '#failure': 'failure' } : {}),
      },
      {
        ':status': result.status,
        ':counts': result.counts,
        ':byReason': result.byReason,
        ':now': new Date().toISOString(),
        ':zero': 0,
        ':progress': { phase: 'done', rowsRead: this.progress.rowsRead },
        ...(result.failure ? { ':failure': result.failure } : {}),
      },
      'ALL_NEW',
    );
    return toJob(item!);
  }

  /** Gives the job back after an unexpected error, so the retry S3/Lambda makes can take it at once. */
  async release(error: unknown): Promise<void> {
    await this.stop();
    if (this.lost) return;
    const name = error instanceof Error ? error.name : 'Error';
    await this.update(
      'SET #status = :interrupted, #leaseExpiresAt = :zero, #lastError = :error',
      { '#leaseExpiresAt': 'leaseExpiresAt', '#lastError': 'lastError' },
      {
        ':interrupted': 'interrupted',
        ':zero': 0,
        ':error': `${name} during ${this.progress.phase} after ${this.progress.rowsRead} rows. ${retryAdvice(this.id)}`,
      },
    ).catch(() => undefined);
  }

  /** Stops renewing without touching the record (the lease then runs out by itself). */
  async abandon(): Promise<void> {
    await this.stop();
  }
}
