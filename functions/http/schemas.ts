/** Request shapes, validated once at the edge. Objects are strict: unknown fields are refused. */
import * as z from 'zod';
import { MAX_LIMIT } from '#core/license.ts';
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH, isGuestPrincipalName } from '#core/emailAddress.ts';
import { MAX_NAME_LENGTH, characterCount } from '#core/nameLength.ts';
import { USER_STATES } from '#core/user.ts';

/** Names people choose for areas and directories (and roles): short, lower-case, URL- and key-safe. */
const slug = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1-40 lower-case letters, digits or dashes, starting with a letter');

export const areaName = slug;

/** A directory's name, as synced and SCIM-provisioned users carry it (e.g. "okta", "entra"). */
export const directoryName = slug;

/** A count in a query string: digits only (no `1e2`, `0x10`, `+5` or empty value read as a number). */
const queryCount = (min: number, max: number) =>
  z.string().regex(/^[0-9]+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

/** `limit` and `cursor` of a paged listing. */
const paging = (max: number, byDefault: number) => ({
  limit: queryCount(1, max).default(byDefault),
  cursor: z.string().max(2000).optional(),
});

const userState = z.enum(USER_STATES, { error: `must be one of ${USER_STATES.map((state) => `"${state}"`).join(', ')}` });

export const email = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .regex(EMAIL_PATTERN, 'must be a valid email address')
  .refine((address) => !isGuestPrincipalName(address), "is an Entra ID guest's user principal name (#EXT#), not an email address: use the guest's mail");

const roles = z.array(slug).max(20, 'at most 20 roles').transform((list) => [...new Set(list)]);
/** Control characters (NUL, line breaks, tabs…), text-direction overrides and lone surrogates: never part of a name. */
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
export const hasUnsafeCharacters = (text: string) => UNSAFE_TEXT.test(text);
export const UNSAFE_TEXT_PROBLEM = 'must not contain control characters (line breaks, tabs, NUL) or text-direction overrides';

const plainText = (max: number) =>
  z
    .string()
    .trim()
    .refine((text) => characterCount(text) <= max, `must be at most ${max} characters`)
    .refine((text) => !hasUnsafeCharacters(text), UNSAFE_TEXT_PROBLEM);

const displayName = plainText(MAX_NAME_LENGTH);

export const createUserBody = z.strictObject({
  email,
  name: displayName.optional(),
  area: areaName.default('primary'),
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

export const idPath = z.strictObject({ id: z.string().min(1).max(100) });
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
  description: plainText(200).optional(),
});

/** A CSV file's name as the admin's computer has it: plain text (as names are), no folders. */
const csvFileName = plainText(200)
  .regex(/^[^/\\]+$/, 'must be a file name, without folders')
  .regex(/.\.csv$/i, 'must end in .csv');

/** The upload URL signs this length: S3 takes exactly these bytes through it, no more. */
const fileSize = z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte');

/** POST /imports: an admin upload into an area, or a directory sync file. */
export const createImportBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('upload'), fileName: csvFileName, size: fileSize, area: areaName.default('primary') }),
  z.strictObject({ kind: z.literal('sync'), fileName: csvFileName, size: fileSize, directory: directoryName }),
]);

/** An import job id: the base64url object key, optionally ".<upload id>". */
export const importPath = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,1400}(\.[A-Za-z0-9_-]{1,64})?$/, 'is not an import id') });

export const listImportsQuery = z.strictObject(paging(100, 20));

/** GET /export: one area or all, optionally one account state. */
export const exportPeopleQuery = z.strictObject({
  area: areaName.optional(),
  state: userState.optional(),
});
