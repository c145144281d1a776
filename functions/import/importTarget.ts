/**
 * What an object key asks for. `imports/<file>.csv` and
 * `imports/<area>/…/<file>.csv` are admin uploads (into that area, else
 * primary); `sync/<directory>/…/<file>.csv` are directory sync runs. Other
 * keys (the reports/ this function writes, folder markers) are not imports.
 * (The key scheme itself: core/importUploads.ts.)
 */
import { areaName, directoryName } from '#core/fields.ts';
import { SYNC_PREFIX, UPLOAD_PREFIX } from '#core/importKeys.ts';
import { PRIMARY_AREA } from '#core/user.ts';
import { ImportFileError } from './importOutcome.ts';

export type ImportTarget = { mode: 'upload'; area: string } | { mode: 'sync'; directory: string };

/** Object keys arrive URL-encoded in S3 events, with '+' for a space. */
export const decodeEventKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/** `undefined`: not an import at all. Throws ImportFileError for an import that cannot run (recorded as a failed job). */
export function importTarget(key: string): ImportTarget | undefined {
  const segments = key.split('/');
  const top = `${segments[0]}/`;
  if ((top !== UPLOAD_PREFIX && top !== SYNC_PREFIX) || key.endsWith('/')) return undefined;
  if (!/\.csv$/i.test(key)) {
    throw new ImportFileError(
      'NOT_CSV',
      `Only .csv files are imported; '${segments.at(-1)}' is not one. Save the list as CSV UTF-8 and upload it again.`,
    );
  }
  if (top === UPLOAD_PREFIX) {
    if (segments.length === 2) return { mode: 'upload', area: PRIMARY_AREA };
    const area = segments[1]!.toLowerCase();
    if (!areaName.safeParse(area).success) {
      throw new ImportFileError(
        'AREA_NOT_FOUND',
        `The folder '${segments[1]}' under imports/ must name an area (lower-case letters, digits and dashes); put files for the primary area directly in imports/.`,
      );
    }
    return { mode: 'upload', area };
  }
  // The same directory names as SCIM tokens use, so a directory's users look alike whichever way they came.
  const directory = segments.length > 2 ? segments[1]!.toLowerCase() : '';
  if (!directoryName.safeParse(directory).success) {
    throw new ImportFileError(
      'INVALID_KEY',
      'Sync files go in sync/<directory>/ (for example sync/okta/users.csv), where <directory> is 1-40 letters, digits or dashes, starting with a letter.',
    );
  }
  return { mode: 'sync', directory };
}
