/** Request shapes, validated once at the edge. Objects are strict: unknown fields are refused. */
import * as z from 'zod';
import { MAX_LIMIT } from '#core/license.ts';
import { areaName, directoryName, displayName, email, plainText, slug, userState } from '#core/fields.ts';
import type { UploadRequest } from '#core/importKeys.ts';
import { PRIMARY_AREA } from '#core/user.ts';
import { MAX_ID_LENGTH } from '#core/userId.ts';

/** A count in a query string: digits only (no `1e2`, `0x10`, `+5` or empty value read as a number). */
const queryCount = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/** `limit` and `cursor` of a paged listing. */
const paging = (max: number, byDefault: number) => ({
  limit: queryCount(1, max).default(byDefault),
  cursor: z.string().max(2000).optional(),
});

const roles = z
  .array(slug)
  .max(20, 'at most 20 roles')
  .transform((list) => [...new Set(list)]);

/** A SCIM token's description, and a CSV file's name: short texts a person types. */
const MAX_DESCRIPTION_LENGTH = 200;
const MAX_FILE_NAME_LENGTH = 200;

export const createUserBody = z.strictObject({
  email,
  name: displayName.optional(),
  area: areaName.default(PRIMARY_AREA),
  roles: roles.optional(),
  exempt: z.boolean().optional(),
});

export const updateUserBody = z
  .strictObject({
    name: displayName.optional(),
    area: areaName.optional(),
    roles: roles.optional(),
    exempt: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'must contain at least one of name, area, roles, exempt');

export const idPath = z.strictObject({ id: z.string().min(1).max(MAX_ID_LENGTH) });
export const areaPath = z.strictObject({ area: areaName });

export const listUsersQuery = z.strictObject({
  email: email.optional(),
  area: areaName.optional(),
  state: userState.optional(),
  ...paging(200, 50),
});

const seatCount = (min: number) => z.number().int('must be a whole number').min(min).max(MAX_LIMIT);

export const areaLimitBody = z.strictObject({ limit: seatCount(0) });

export const transferBody = z
  .strictObject({
    from: areaName,
    to: areaName,
    seats: seatCount(1),
  })
  .refine((body) => body.from !== body.to, { path: ['to'], message: 'must be another area than from' });

export const listPendingQuery = z.strictObject({ area: areaName.optional(), ...paging(200, 50) });

export const activatePendingBody = z.strictObject({ area: areaName.optional() });

/** Block and unblock take no fields; a client that sends some (a reason?) learns they are not read. */
export const noFields = z.strictObject({});

export const createScimTokenBody = z.strictObject({
  directory: directoryName,
  description: plainText(MAX_DESCRIPTION_LENGTH).optional(),
});

/** A CSV file's name as the admin's computer has it: plain text (as names are), no folders. */
const csvFileName = plainText(MAX_FILE_NAME_LENGTH)
  .regex(/^[^/\\]+$/, 'must be a file name, without folders')
  .regex(/.\.csv$/i, 'must end in .csv');

/** The upload URL signs this length: S3 takes exactly these bytes through it, no more. */
const fileSize = z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte');

/** POST /imports: an admin upload into an area, or a directory sync file. */
export const createImportBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('upload'), fileName: csvFileName, size: fileSize, area: areaName.default(PRIMARY_AREA) }),
  z.strictObject({ kind: z.literal('sync'), fileName: csvFileName, size: fileSize, directory: directoryName }),
]) satisfies z.ZodType<UploadRequest>;

/** An import job id: the base64url object key, optionally ".<upload id>". */
export const importPath = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,1400}(\.[A-Za-z0-9_-]{1,64})?$/, 'is not an import id'),
});

export const listImportsQuery = z.strictObject(paging(100, 20));
