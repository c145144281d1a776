/**
 * The import job as stored (jobs table): one per uploaded object version. The
 * import function writes it (functions/import/importJob.ts: claim, lease,
 * finish); the HTTP routes read it and ask for a retry. Here is what both need:
 * its shape, its key, and reading it.
 *
 * Item: pk "import#<keyId>", sk "upload#<uploadId>"; keyId = base64url(object key),
 * uploadId names the object version (versionId, else the event's sequencer,
 * else the ETag). The job id is "<keyId>.<uploadId>"; "<keyId>" alone means
 * the latest upload under that key, so a client that knows the key knows the id.
 */
import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#clients/dynamodb.ts';
import { decodeCursor, encodeCursor } from '#commons/cursors.ts';
import { allItems } from '#commons/paging.ts';
import { invalidCursor } from './errors.ts';
import { JOBS_BY_KIND_INDEX, isKeyString, tableName } from './tables.ts';

/** The `kind` of import jobs in the jobs table's byKind index. */
export const IMPORT_JOB_KIND = 'import';

/** The object an S3 event names. */
export interface ImportSource {
  bucket: string;
  key: string;
  versionId?: string;
  eTag?: string;
  sequencer?: string;
}

export type JobStatus = 'running' | 'interrupted' | 'succeeded' | 'failed' | 'skipped';

/** Job counters; the report has the row-level detail. */
export interface ImportCounts {
  /** Data rows read from the file (blank rows are not counted). */
  rows: number;
  created: number;
  activated: number;
  /** Rows whose user waits for a seat (created blocked, or still blocked), reason licence. */
  blockedPending: number;
  /** Rows whose user already existed and was left as it was. */
  skippedExisting: number;
  rejected: number;
  ignored: number;
  /** Users of the directory blocked because the file left them out or marks them disabled. */
  blockedAbsent: number;
}

export const zeroCounts = (): ImportCounts => ({
  rows: 0,
  created: 0,
  activated: 0,
  blockedPending: 0,
  skippedExisting: 0,
  rejected: 0,
  ignored: 0,
  blockedAbsent: 0,
});

export interface ImportJob {
  id: string;
  mode: 'upload' | 'sync';
  status: JobStatus;
  bucket: string;
  key: string;
  versionId?: string;
  eTag?: string;
  /** The S3 event's sequencer: with no versionId, it names the upload (and lets a retry find the same job). */
  sequencer?: string;
  area?: string;
  directory?: string;
  /** Sync runs: whether users of the directory absent from the file are blocked. */
  blockAbsent?: boolean;
  createdAt: string;
  startedAt: string;
  finishedAt?: string;
  attempts: number;
  progress?: { phase: string; rowsRead: number };
  counts?: ImportCounts;
  /** Rows per reason (functions/import/importOutcome.ts's codes). */
  byReason?: Partial<Record<string, number>>;
  /** Why the file failed as a whole (a file failure code). */
  failure?: { code: string; message: string; line?: number };
  /** Why the last attempt stopped early, and what to do about it. */
  lastError?: string;
  /** This upload's own report: a re-upload of the key never overwrites it. */
  reportKey: string;
}

/** Attributes only the job's own code reads. */
export interface ImportJobItem extends ImportJob {
  pk: string;
  sk: string;
  kind: typeof IMPORT_JOB_KIND;
  leaseOwner: string;
  leaseExpiresAt: number;
  firstStartedAt: string;
  expiresAt: number;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Names one upload of a key: its version (versionId, else the event's sequencer, else the ETag), hashed with the bucket. */
export function uploadIdOf(source: ImportSource): string {
  const version = source.versionId ? `v:${source.versionId}` : source.sequencer ? `s:${source.sequencer}` : `e:${source.eTag ?? ''}`;
  return createHash('sha256').update(`${source.bucket}\n${version}`).digest('base64url').slice(0, 16);
}

/** The id of the job of one upload. */
export const jobIdOf = (source: ImportSource) => `${base64url(source.key)}.${uploadIdOf(source)}`;

/** The id `GET /imports/{id}` takes for the latest upload under `key`. */
export const jobIdForKey = (key: string) => base64url(key);

/** A job id's item key; a key's id alone ("<keyId>") names the partition of all its uploads, without `sk`. */
export function keysOfId(id: string): { pk: string; sk?: string } {
  const [keyId, uploadId] = id.split('.');
  return { pk: `import#${keyId}`, ...(uploadId ? { sk: `upload#${uploadId}` } : {}) };
}

/** The upload a job imports, as its event named it; undefined for a job recorded without what names it (before sequencers were kept). */
export function sourceOfJob(job: ImportJob): ImportSource | undefined {
  const source: ImportSource = { bucket: job.bucket, key: job.key, versionId: job.versionId, eTag: job.eTag, sequencer: job.sequencer };
  return jobIdOf(source) === job.id ? source : undefined;
}

/** What an interrupted job's message ends with: how an administrator resumes it once the event's own retries are spent. */
export const retryAdvice = (id: string) =>
  `The event's automatic retries resume it; if it is still interrupted after them (on AWS about 3 minutes; the event then waits in FailedEvents), resume it with POST /imports/${id}/retry.`;

export function toJob(item: Record<string, unknown> | ImportJobItem): ImportJob {
  const stored = item as unknown as ImportJobItem;
  // A run whose lease ran out without a heartbeat has stopped (crash, timeout); a retry takes it over.
  const stalled = stored.status === 'running' && Number(stored.leaseExpiresAt) < Date.now();
  const job: ImportJob = {
    id: stored.id,
    mode: stored.mode,
    status: stalled ? 'interrupted' : stored.status,
    bucket: stored.bucket,
    key: stored.key,
    versionId: stored.versionId,
    eTag: stored.eTag,
    sequencer: stored.sequencer,
    area: stored.area,
    directory: stored.directory,
    blockAbsent: stored.blockAbsent,
    createdAt: stored.createdAt,
    startedAt: stored.startedAt,
    finishedAt: stored.finishedAt,
    attempts: Number(stored.attempts ?? 0),
    progress: stored.progress,
    // DynamoDB keeps a map's keys in no order: show them in one.
    counts: stored.counts ? { ...zeroCounts(), ...stored.counts } : undefined,
    byReason: stored.byReason,
    failure: stored.failure,
    lastError:
      stored.lastError ??
      (stalled ? `The importing process stopped without finishing (crash or timeout). ${retryAdvice(stored.id)}` : undefined),
    reportKey: stored.reportKey,
  };
  return Object.fromEntries(Object.entries(job).filter(([, value]) => value !== undefined)) as unknown as ImportJob;
}

export async function getJob(pk: string, sk: string): Promise<ImportJob | undefined> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName('jobs'), Key: { pk, sk }, ConsistentRead: true }));
  return Item ? toJob(Item) : undefined;
}

/** A job by its full id, or the latest upload under a key by the key's id. */
export async function findJob(id: string): Promise<ImportJob | undefined> {
  const { pk, sk } = keysOfId(id);
  if (sk) return getJob(pk, sk);
  const uploads = await allItems(
    paginateQuery(
      { client: documentClient },
      {
        TableName: tableName('jobs'),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :upload)',
        ExpressionAttributeValues: { ':pk': pk, ':upload': 'upload#' },
      },
    ),
  );
  return uploads.map(toJob).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** Where the next page of import jobs starts: the byKind index key of the last job returned. */
type JobCursor = { pk: string; sk: string; kind: string; createdAt: string };

const JOB_LISTING = 'imports';

/** Exactly the index key, each part one DynamoDB accepts: anything else would be a 500, not a 400. */
const isJobCursor = (key: Record<string, unknown>) =>
  isKeyString(key.pk, 2048) &&
  isKeyString(key.sk, 1024) &&
  key.kind === IMPORT_JOB_KIND &&
  isKeyString(key.createdAt, 1024) &&
  Object.keys(key).length === 4;

/** Import jobs, newest first, a page at a time (the sparse byKind index). */
export async function listImportJobs(query: {
  limit: number;
  cursor?: string;
}): Promise<{ items: ImportJob[]; nextCursor: string | null }> {
  const start = query.cursor ? decodeCursor<JobCursor>(query.cursor, JOB_LISTING, isJobCursor) : undefined;
  if (typeof start === 'string') throw invalidCursor(start);
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName('jobs'),
      IndexName: JOBS_BY_KIND_INDEX,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':kind': IMPORT_JOB_KIND },
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: start,
    }),
  );
  const last = page.LastEvaluatedKey as JobCursor | undefined;
  return {
    items: (page.Items ?? []).map(toJob),
    nextCursor: last ? encodeCursor({ pk: last.pk, sk: last.sk, kind: last.kind, createdAt: last.createdAt }, JOB_LISTING) : null,
  };
}
