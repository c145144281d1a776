/**
 * One uploaded file, start to end: claim its job (or find it done, or wait
 * for the delivery that holds it), check the whole file (pass 1), run the sync
 * phases, write the rows and the report (pass 2), record the outcome.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { findJob, zeroCounts, type ImportJob, type ImportSource } from '#core/importJobRecord.ts';
import { PRIMARY_AREA } from '#core/user.ts';
import { readAreas } from '#core/seatCounter.ts';
import { logger } from '#commons/logger.ts';
import { blockAbsentUsers, blockDisabledUsers, activateListedUsers, type Activation } from './directorySync.ts';
import { scanFile } from './fileScan.ts';
import { blocksAbsent, importConfig, type ImportConfig } from '#core/importConfig.ts';
import { SYNC_PREFIX } from '#core/importKeys.ts';
import { importTarget, type ImportTarget } from './importTarget.ts';
import { takeDirectoryTurn } from './directoryTurn.ts';
import { JobLease, LeaseLostError, claimJob, type Claim, type ClaimInput, type JobResult } from './jobLease.ts';
import { ImportFileError, ImportTally, ROW_REASONS, type ReportLine, type RowReason } from './importOutcome.ts';
import { ReportWriter, writeFailureReport } from './reportWriter.ts';
import { writeRows } from './rowWriter.ts';

/** Another run holds what this one needs past this invocation's time: Lambda's retry tries again later. */
class ImportBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportBusyError';
  }
}

/** Time a waiting delivery keeps in hand to return before its own timeout. */
const WAIT_SAFETY_MS = 10_000;

/** Claims the job, waiting while another delivery holds a live lease on it. */
async function claimWhenFree(
  input: ClaimInput,
  config: ImportConfig,
  remainingMs: () => number,
): Promise<Exclude<Claim, { state: 'busy' }>> {
  for (;;) {
    const claim = await claimJob(input, config);
    if (claim.state !== 'busy') return claim;
    const wait = Math.max(50, Math.min(config.busyPollMs, claim.leaseExpiresAt - Date.now() + 50));
    if (remainingMs() - wait < WAIT_SAFETY_MS) throw new ImportBusyError(`Import job ${claim.job.id} is running in another invocation`);
    logger.info('import job held by another delivery; waiting', { jobId: claim.job.id });
    await sleep(wait);
  }
}

/** Waits while another sync run of the directory goes on; false when a newer file has been started. */
async function awaitDirectoryTurn(
  directory: string,
  lastModified: string,
  lease: JobLease,
  config: ImportConfig,
  remainingMs: () => number,
): Promise<boolean> {
  for (;;) {
    const turn = await takeDirectoryTurn(directory, lastModified, lease.id);
    if (turn.state !== 'busy') return turn.state === 'mine';
    if (remainingMs() - config.busyPollMs < WAIT_SAFETY_MS)
      throw new ImportBusyError(`Sync run ${turn.jobId} of directory '${directory}' is still running`);
    logger.info('another sync run of the directory is going on; waiting', { jobId: lease.id, running: turn.jobId });
    lease.report('waiting for the directory’s previous sync run', 0);
    lease.check();
    await sleep(config.busyPollMs);
  }
}

/** Imports one object. Returns its job, or undefined for keys that are not imports (reports/, folders). */
export async function importFile(source: ImportSource, remainingMs: () => number): Promise<ImportJob | undefined> {
  const config = importConfig();
  let target: ImportTarget | undefined;
  let refused: ImportFileError | undefined;
  try {
    target = importTarget(source.key);
    if (!target) return undefined;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    // Still a job, so the person who dropped the file can see why nothing happened.
    refused = error;
    target = source.key.startsWith(SYNC_PREFIX) ? { mode: 'sync', directory: '' } : { mode: 'upload', area: '' };
  }

  const claim = await claimWhenFree(
    {
      source,
      mode: target.mode,
      ...(target.mode === 'upload' ? { area: target.area || undefined } : { directory: target.directory || undefined }),
      ...(target.mode === 'sync' && target.directory ? { blockAbsent: blocksAbsent(config, target.directory) } : {}),
    },
    config,
    remainingMs,
  );
  if (claim.state === 'done') {
    logger.info('import job already done; duplicate delivery ignored', { jobId: claim.job.id, status: claim.job.status });
    return claim.job;
  }
  const { lease } = claim;
  logger.info('import started', { jobId: lease.id, mode: target.mode, attempt: lease.attempt });
  try {
    if (refused) throw refused;
    const result = await runImport(source, target, lease, config, remainingMs);
    const job = await lease.finish(result);
    logger.info('import finished', { jobId: job.id, status: job.status, counts: job.counts });
    return job;
  } catch (error) {
    try {
      if (error instanceof ImportFileError) return await failJob(source, lease, error);
      throw error;
    } catch (failure) {
      if (failure instanceof LeaseLostError) {
        logger.warn('import lease taken over by another delivery; stopping', { jobId: lease.id });
        await lease.abandon();
        return findJob(lease.id);
      }
      logger.error('import interrupted; the job is released for a retry', {
        jobId: lease.id,
        error: failure instanceof Error ? failure.name : 'unknown',
      });
      await lease.release(failure);
      throw failure;
    }
  }
}

async function failJob(source: ImportSource, lease: JobLease, error: ImportFileError): Promise<ImportJob> {
  await writeFailureReport(source.bucket, lease.job.reportKey, {
    line: error.line ?? '',
    email: '',
    outcome: 'failed',
    reason: error.code,
    message: error.message,
    userId: '',
  });
  const job = await lease.finish({
    status: error.code === 'SUPERSEDED' ? 'skipped' : 'failed',
    counts: zeroCounts(),
    byReason: {},
    failure: { code: error.code, message: error.message, ...(error.line ? { line: error.line } : {}) },
  });
  logger.info('import refused the file', { jobId: job.id, code: error.code });
  return job;
}

async function runImport(
  source: ImportSource,
  target: ImportTarget,
  lease: JobLease,
  config: ImportConfig,
  remainingMs: () => number,
): Promise<JobResult> {
  const areas = (await readAreas()).map((a) => a.area);
  const known = new Set(areas);
  const defaultArea = target.mode === 'upload' ? target.area : PRIMARY_AREA;
  if (target.mode === 'upload' && !known.has(defaultArea)) {
    throw new ImportFileError(
      'AREA_NOT_FOUND',
      `Area '${defaultArea}' (from the folder the file is in) does not exist. A licence administrator can create it, or upload the file to imports/ for the primary area.`,
    );
  }
  const context = { defaultArea, areaExists: (area: string) => known.has(area) };

  lease.report('checking', 0);
  const scan = await scanFile({
    source,
    maxBytes: config.maxFileBytes,
    maxRows: config.maxRows,
    directory: target.mode === 'sync' ? target.directory : undefined,
    context,
    lease,
  });
  logger.info('import file checked', { jobId: lease.id, rows: scan.rows, existing: scan.listed.size });

  let sync: Parameters<typeof writeRows>[0]['sync'];
  if (target.mode === 'sync') {
    const { directory } = target;
    if (!(await awaitDirectoryTurn(directory, scan.lastModified, lease, config, remainingMs))) {
      const partly =
        lease.attempt > 1
          ? ' An earlier attempt at it was interrupted after applying part of it; the newer file was applied after that part.'
          : '';
      throw new ImportFileError(
        'SUPERSEDED',
        `A newer sync file of directory '${directory}' has already been started; this older one is skipped.${partly}`,
      );
    }
    const blocked = await blockDisabledUsers(scan.listed, lease);
    if (lease.job.blockAbsent) {
      lease.report('blocking absent users', scan.rows);
      for (const [key, user] of await blockAbsentUsers(directory, areas, scan.seen, lease)) blocked.set(key, user);
    }
    lease.report('activating waiting users', scan.rows);
    const activation: Activation = await activateListedUsers(scan.listed, lease);
    sync = { directory, listed: scan.listed, activated: activation.activated, queueAreas: activation.waitingAreas, blocked };
  }

  const tally = new ImportTally();
  const report = new ReportWriter(source.bucket, lease.job.reportKey);
  try {
    await writeRows({ source, eTag: scan.eTag, seen: scan.seen, maxBytes: config.maxFileBytes, context, lease, report, tally, sync });
    for (const user of sync?.blocked.values() ?? []) {
      // An exempt account the file leaves out was not blocked (a directory may not): reported as it stands.
      const reason: RowReason = user.exempt ? 'EXEMPT_ACCOUNT' : 'ABSENT_FROM_DIRECTORY';
      const line: ReportLine = {
        line: '',
        email: user.email,
        outcome: user.exempt ? 'exists' : 'blocked',
        reason,
        message: ROW_REASONS[reason],
        userId: user.id,
      };
      tally.add(line);
      await report.write(line);
    }
    await report.finish();
  } catch (error) {
    await report.abort();
    throw error;
  }
  return { status: 'succeeded', counts: tally.counts, byReason: tally.byReason };
}
