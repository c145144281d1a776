/**
 * Settings of the import function, read from the environment at call time
 * (not at load), so one deployed function and the tests can both change them.
 */
import { bucketDefinitions } from './buckets.ts';

const MIB = 1024 * 1024;

/** The import function's timeout, Lambda's longest: a file must fit one run. */
export const IMPORT_TIMEOUT_MS = 15 * 60 * 1000;

function numberFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

export interface ImportConfig {
  /** Files larger than this fail as a whole (FILE_TOO_LARGE). */
  maxFileBytes: number;
  /**
   * Files with more data rows fail as a whole (TOO_MANY_ROWS). A run redoes its
   * file from the start after a crash, so a file must fit one Lambda run (15 minutes).
   */
  maxRows: number;
  /** How long a claim on a job holds without a heartbeat; a crashed run is taken over after it. */
  leaseMs: number;
  /** How often a running import renews its lease (and records progress). */
  heartbeatMs: number;
  /** How often a delivery that finds the job running elsewhere looks again. */
  busyPollMs: number;
  /** Job records expire (DynamoDB TTL) this long after they were created; by default with their files in the bucket. */
  jobRetentionDays: number;
  /** Directories whose sync runs block users absent from the file; "*" is every directory. Off by default. */
  blockAbsentDirectories: ReadonlySet<string>;
}

export function importConfig(): ImportConfig {
  const leaseMs = numberFrom('IMPORT_LEASE_SECONDS', 120) * 1000;
  const directories = (process.env.IMPORT_SYNC_BLOCK_ABSENT ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  return {
    maxFileBytes: numberFrom('IMPORT_MAX_FILE_BYTES', 50 * MIB),
    maxRows: numberFrom('IMPORT_MAX_ROWS', 250_000),
    leaseMs,
    heartbeatMs: Math.max(200, Math.floor(leaseMs / 4)),
    busyPollMs: numberFrom('IMPORT_BUSY_POLL_MS', 2000),
    jobRetentionDays: numberFrom('IMPORT_JOB_RETENTION_DAYS', bucketDefinitions.imports.expireAfterDays),
    blockAbsentDirectories: new Set(directories),
  };
}

export function blocksAbsent(config: ImportConfig, directory: string): boolean {
  return config.blockAbsentDirectories.has('*') || config.blockAbsentDirectories.has(directory.toLowerCase());
}
