/**
 * The API's request and response shapes, as the README's "HTTP API" section documents them.
 * Phase 2 (issue 21) generates these from the OpenAPI document; until then they are written
 * here, once, and every page uses them through ./client.ts.
 */

export type Role = 'people-admin' | 'license-admin';
export const ROLES: readonly Role[] = ['people-admin', 'license-admin'];

export type UserState = 'active' | 'blocked';
export type BlockedReason = 'admin' | 'license' | 'directory';
export type UserSource = 'api' | 'csv' | 'sync' | 'scim';

export interface User {
  id: string;
  email: string;
  name: string;
  area: string;
  state: UserState;
  blockedReason?: BlockedReason;
  exempt: boolean;
  roles: string[];
  source: UserSource;
  directory?: string;
  pendingSince?: string;
  createdAt: string;
  updatedAt: string;
}

/** One area's counters (GET /summary). */
export interface AreaSummary {
  area: string;
  limit: number;
  active: number;
  blocked: number;
  pending: number;
  exempt: number;
  available: number;
  /** Creations refused for lack of a seat since the area last had one free. */
  refused: number;
}

export interface Summary {
  areas: AreaSummary[];
  totals: Omit<AreaSummary, 'area'>;
}

/** GET /license: one entry per area. */
export interface LicenseArea {
  area: string;
  limit: number;
  active: number;
  available: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListUsersQuery {
  area?: string;
  state?: UserState;
  email?: string;
  limit?: number;
  cursor?: string;
}

export interface CreateUserBody {
  email: string;
  name?: string;
  area?: string;
  roles?: string[];
  exempt?: boolean;
}

export interface UpdateUserBody {
  name?: string;
  area?: string;
  roles?: string[];
  exempt?: boolean;
}

export interface PutAreaLimitResult {
  area: AreaSummary;
  created: boolean;
}

export interface TransferBody {
  from: string;
  to: string;
  seats: number;
}

export interface ExportQuery {
  area?: string;
  state?: UserState;
}

export interface PeopleExport {
  /** A presigned GET of the CSV, valid until expiresAt. */
  url: string;
  expiresAt: string;
  rows: number;
}

export type CreateImportBody =
  { kind: 'upload'; fileName: string; size: number; area?: string } | { kind: 'sync'; fileName: string; size: number; directory: string };

export interface ImportUpload {
  id: string;
  bucket: string;
  key: string;
  upload: { method: 'PUT'; url: string; expiresAt: string; headers: Record<string, string> };
}

export type ImportStatus = 'running' | 'interrupted' | 'succeeded' | 'failed' | 'skipped';

export interface ImportCounts {
  rows: number;
  created: number;
  activated: number;
  blockedPending: number;
  skippedExisting: number;
  rejected: number;
  ignored: number;
  blockedAbsent: number;
}

export interface ImportJob {
  id: string;
  mode: 'upload' | 'sync';
  status: ImportStatus;
  bucket: string;
  key: string;
  area?: string;
  directory?: string;
  createdAt: string;
  startedAt: string;
  finishedAt?: string;
  attempts: number;
  progress?: { phase: string; rowsRead: number };
  counts?: ImportCounts;
  byReason?: Partial<Record<string, number>>;
  failure?: { code: string; message: string; line?: number };
  lastError?: string;
  reportKey: string;
  /** GET /imports/{id} only: the report, with a presigned link once the job is done. */
  report?: { key: string; url?: string; expiresAt?: string };
}

/** The report CSV's columns (one line per row of the imported file). */
export interface ImportReportRow {
  line: string;
  email: string;
  /** created, activated, pending, exists, rejected, ignored or blocked (docs/csv-import.md). */
  outcome: string;
  reason: string;
  message: string;
  userId: string;
}

export interface WaitingEntry {
  area: string;
  /** 1 = next to get a seat in its area. */
  position: number;
  since: string;
  userId: string;
  email: string;
  name: string;
  source: UserSource;
  directory?: string;
}

export interface ActivationResult {
  activated: number;
  areas: { area: string; activated: string[]; pending: number; available: number }[];
}

export interface ScimToken {
  id: string;
  directory: string;
  description?: string;
  createdAt: string;
  createdBy?: string;
  lastUsedAt?: string;
}

export interface IssuedScimToken {
  scimToken: ScimToken;
  /** The secret, shown this once. */
  token: string;
}

/** Every error the API answers: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
