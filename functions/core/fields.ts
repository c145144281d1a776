/**
 * What every path accepts in a field (the API's bodies and queries, CSV rows, SCIM resources,
 * the stack's settings): area and directory names, account states, email addresses, names.
 * Zod schemas, so the API's request schemas are built from them and the other paths test
 * a value with `safeParse`. The email and name-length rules themselves are emailAddress.ts and
 * nameLength.ts, which the notifier reads without zod.
 */
import * as z from 'zod';
import { EMAIL_PATTERN, MAX_EMAIL_LENGTH, isGuestPrincipalName } from './emailAddress.ts';
import { MAX_NAME_LENGTH, characterCount } from './nameLength.ts';
import { USER_STATES } from './user.ts';

/** Names people choose for areas and directories (and roles): short, lower-case, URL- and key-safe. */
export const slug = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1-40 lower-case letters, digits or dashes, starting with a letter');

export const areaName = slug;

/** A directory's name, as synced and SCIM-provisioned users carry it (e.g. "okta", "entra"). */
export const directoryName = slug;

export const userState = z.enum(USER_STATES, { error: `must be one of ${USER_STATES.map((state) => `"${state}"`).join(', ')}` });

export const email = z
  .string()
  .trim()
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .regex(EMAIL_PATTERN, 'must be a valid email address')
  .refine(
    (address) => !isGuestPrincipalName(address),
    "is an Entra ID guest's user principal name (#EXT#), not an email address: use the guest's mail",
  );

/** Control characters (NUL, line breaks, tabs…), text-direction overrides and lone surrogates: never part of a name. */
const UNSAFE_TEXT = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
export const hasUnsafeCharacters = (text: string) => UNSAFE_TEXT.test(text);
export const UNSAFE_TEXT_PROBLEM = 'must not contain control characters (line breaks, tabs, NUL) or text-direction overrides';

/** Text a person types (a name, a description), trimmed: at most `max` characters (code points), none of them unsafe. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .refine((text) => characterCount(text) <= max, `must be at most ${max} characters`)
    .refine((text) => !hasUnsafeCharacters(text), UNSAFE_TEXT_PROBLEM);

export const displayName = plainText(MAX_NAME_LENGTH);
