/**
 * What an object key asks for. `imports/<file>.csv` and
 * `imports/<area>/…/<file>.csv` are admin uploads (into that area, else
 * primary); `sync/<directory>/…/<file>.csv` are directory sync runs. Other
 * keys (the reports/ this function writes, folder markers) are not imports.
 */
import { randomBytes } from 'node:crypto';
import { areaName, directoryName } from '#core/fields.ts';
import { PRIMARY_AREA } from '#core/user.ts';
import { ImportFileError } from './importOutcome.ts';

const UPLOAD_PREFIX = 'imports/';
export const SYNC_PREFIX = 'sync/';
/** The folders whose new objects are imports: S3 notifies the import function for these prefixes only. */
export const IMPORT_PREFIXES = [UPLOAD_PREFIX, SYNC_PREFIX] as const;

export type ImportTarget = { mode: 'upload'; area: string } | { mode: 'sync'; directory: string };

/** Object keys arrive URL-encoded in S3 events, with '+' for a space. */
export const decodeEventKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The report of one upload: `reports/<original key>.<upload id>.csv`. The upload id
 * (the job id's second part) keeps each upload's report: a re-upload of the same key
 * writes its own. Not the object's version: s3rver has no versioning, and AWS expires
 * noncurrent versions before job records.
 */
export const reportKeyFor = (key: string, uploadId: string) => `reports/${key}.${uploadId}.csv`;

/** `undefined`: not an import at all. Throws ImportFileError for an import that cannot run (recorded as a failed job). */
export function importTarget(key: string): ImportTarget | undefined {
  const segments = key.split('/');
  const top = `${segments[0]}/`;
  if ((top !== UPLOAD_PREFIX && top !== SYNC_PREFIX) || key.endsWith('/')) return undefined;
  if (!/\.csv$/i.test(key)) {
    throw new ImportFileError('NOT_CSV', `Only .csv files are imported; '${segments.at(-1)}' is not one. Save the list as CSV UTF-8 and upload it again.`);
  }
  if (top === UPLOAD_PREFIX) {
    if (segments.length === 2) return { mode: 'upload', area: PRIMARY_AREA };
    const area = segments[1]!.toLowerCase();
    if (!areaName.safeParse(area).success) {
      throw new ImportFileError('AREA_NOT_FOUND', `The folder '${segments[1]}' under imports/ must name an area (lower-case letters, digits and dashes); put files for the primary area directly in imports/.`);
    }
    return { mode: 'upload', area };
  }
  // The same directory names as SCIM tokens use, so a directory's users look alike whichever way they came.
  const directory = segments.length > 2 ? segments[1]!.toLowerCase() : '';
  if (!directoryName.safeParse(directory).success) {
    throw new ImportFileError('INVALID_KEY', 'Sync files go in sync/<directory>/ (for example sync/okta/users.csv), where <directory> is 1-40 letters, digits or dashes, starting with a letter.');
  }
  return { mode: 'sync', directory };
}

/** What POST /imports asks for: an admin upload of `size` bytes into an area, or a directory sync file. */
export type UploadRequest = { fileName: string; size: number } & ({ kind: 'upload'; area: string } | { kind: 'sync'; directory: string });

/** Where POST /imports lets an admin upload: a fresh folder per upload, the file keeping its own name. */
export function uploadKey(request: UploadRequest, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const folder = `${stamp}-${randomBytes(4).toString('hex')}`;
  return request.kind === 'upload'
    ? `${UPLOAD_PREFIX}${request.area}/${folder}/${request.fileName}`
    : `${SYNC_PREFIX}${request.directory}/${folder}/${request.fileName}`;
}
