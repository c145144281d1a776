/**
 * Seatkeeper user ⇄ SCIM User resource (RFC 7643 §4.1).
 *
 * userName is the user's email (Seatkeeper's unique key), so a provider's
 * `userName eq` lookup is one key read. `emails` is returned as that same
 * address. displayName (else name.formatted, else given + family name) is the
 * Seatkeeper name. active mirrors the seat: false for every blocked account.
 * The area lives in the configured attribute (see userSchema.ts).
 */
import { isGuestPrincipalName } from '#core/emailAddress.ts';
import { MAX_NAME_LENGTH, isNameTooLong } from '#core/nameLength.ts';
import { UNSAFE_TEXT_PROBLEM, areaName, email as emailSchema, hasUnsafeCharacters } from '#core/fields.ts';
import type { User } from '#core/user.ts';
import { invalidValue } from './scimErrors.ts';
import { getValue, isObject, type JsonObject } from './filter.ts';
import { CORE_USER_SCHEMA, defaultArea, type UserSchemaModel } from './userSchema.ts';

/** What the provider asks for; the provisioning rules decide what happens. */
export interface DesiredUser {
  email: string;
  name: string;
  /** '' clears. */
  givenName: string;
  familyName: string;
  externalId: string;
  /** undefined: leave the area as it is. */
  area?: string;
  /** undefined: the request did not say. */
  active?: boolean;
}

export function toScimUser(user: User, baseUrl: string, model: UserSchemaModel): JsonObject {
  const { area } = model;
  const name: JsonObject = {};
  // The parts joined when there are any (what Entra maps to it by default), so a display name like
  // "Smith, John" never reads as a changed name.formatted that the provider would write back.
  const formatted = joined(user) || user.name;
  if (formatted) name.formatted = formatted;
  if (user.familyName) name.familyName = user.familyName;
  if (user.givenName) name.givenName = user.givenName;
  const resource: JsonObject = {
    schemas: [CORE_USER_SCHEMA, ...(model.extension ? [model.extension.id] : [])],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.email,
    ...(Object.keys(name).length ? { name } : {}),
    ...(user.name ? { displayName: user.name } : {}),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.state === 'active',
  };
  if (area.schema === CORE_USER_SCHEMA) resource[area.name] = user.area;
  else resource[area.schema] = { [area.name]: user.area };
  resource.meta = { resourceType: 'User', created: user.createdAt, lastModified: user.updatedAt, location: `${baseUrl}/Users/${user.id}` };
  return resource;
}

function text(value: unknown, attribute: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalidValue(`${attribute} must be a string.`);
  const trimmed = value.trim();
  if (isNameTooLong(trimmed)) throw invalidValue(`${attribute} must be at most ${MAX_NAME_LENGTH} characters.`);
  if (hasUnsafeCharacters(trimmed)) throw invalidValue(`${attribute} ${UNSAFE_TEXT_PROBLEM}.`);
  return trimmed;
}

/** Entra ID sends booleans as strings ("True"/"False"); both forms mean the same. */
export function booleanValue(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalidValue(`${attribute} must be true or false.`);
}

/** A complex attribute's value; absent or null reads as empty, anything but an object is refused. */
function complex(value: unknown, attribute: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidValue(`${attribute} must be an object.`);
  return value;
}

/**
 * emails and extensions other than the area's are not kept, but a malformed
 * value is refused like a malformed name: emails is a list of objects, and an
 * extension the resource declares in `schemas` is an object (RFC 7643 §3.3).
 */
function checkComplexShapes(resource: JsonObject): void {
  const emails = getValue(resource, 'emails');
  if (emails !== undefined && emails !== null) {
    if (!Array.isArray(emails)) throw invalidValue('emails must be an array of objects.');
    emails.forEach((element, i) => complex(element, `emails[${i}]`));
  }
  const schemas = getValue(resource, 'schemas');
  for (const urn of Array.isArray(schemas) ? schemas : []) {
    if (typeof urn === 'string' && urn.toLowerCase() !== CORE_USER_SCHEMA.toLowerCase()) complex(getValue(resource, urn), urn);
  }
}

export interface NameParts {
  displayName: string;
  formatted: string;
  givenName: string;
  familyName: string;
}

export function nameParts(resource: JsonObject): NameParts {
  const name = complex(getValue(resource, 'name'), 'name');
  return {
    displayName: text(getValue(resource, 'displayName'), 'displayName'),
    formatted: text(getValue(name, 'formatted'), 'name.formatted'),
    givenName: text(getValue(name, 'givenName'), 'name.givenName'),
    familyName: text(getValue(name, 'familyName'), 'name.familyName'),
  };
}

const joined = (parts: { givenName?: string; familyName?: string }) => [parts.givenName, parts.familyName].filter(Boolean).join(' ');

/** Whole resource (create, replace): displayName, else name.formatted, else given and family name. */
const displayNameOf = (parts: NameParts) => parts.displayName || parts.formatted || joined(parts);

/**
 * After a PATCH, the one name source the provider changed wins: displayName
 * always; name.formatted or the given and family name only while the stored
 * name follows them (equals what they were, or is empty), so a provider that
 * joins the parts into name.formatted never overwrites a display name like
 * "Smith, John". `before` comes from toScimUser.
 */
export function displayNameAfterPatch(before: NameParts, after: NameParts, current: string): string {
  const formattedChanged = after.formatted !== before.formatted;
  if (after.displayName !== before.displayName) return after.displayName || (formattedChanged ? after.formatted : '') || joined(after);
  const follows = (previous: string) => current === previous || current === '';
  if (formattedChanged && follows(before.formatted)) return after.formatted || joined(after);
  if (joined(after) !== joined(before) && follows(joined(before))) return joined(after);
  return current;
}

/**
 * The area the resource names: lower-cased and checked. `missing` is what an
 * absent attribute means (create: the default area; replace: unchanged); an
 * empty or null value means the default area.
 */
function areaOf(resource: JsonObject, model: UserSchemaModel, missing: 'default' | 'unchanged'): string | undefined {
  const { area } = model;
  const container = area.schema === CORE_USER_SCHEMA ? resource : complex(getValue(resource, area.schema), area.schema);
  const value = getValue(container, area.name);
  if (value === undefined) return missing === 'default' ? defaultArea() : undefined;
  const name = text(value, area.name).toLowerCase();
  if (name === '') return defaultArea();
  if (!areaName.safeParse(name).success) {
    throw invalidValue(
      `${area.name} '${name}' is not a Seatkeeper area name (lower-case letters, digits and dashes, starting with a letter).`,
    );
  }
  return name;
}

/** The user a whole resource (POST, PUT, or a patched resource) describes. */
export function desiredUser(
  resource: JsonObject,
  model: UserSchemaModel,
  options: { missingArea: 'default' | 'unchanged'; name?: string },
): DesiredUser {
  const userName = getValue(resource, 'userName');
  if (userName === undefined || userName === null) throw invalidValue('userName is required.');
  if (typeof userName !== 'string') throw invalidValue('userName must be a string (an email address).');
  if (userName.trim() === '') throw invalidValue('userName is required.');
  const email = emailSchema.safeParse(userName);
  if (!email.success) {
    if (isGuestPrincipalName(userName)) {
      throw invalidValue(
        "userName is an Entra ID guest's user principal name (#EXT#), not an email address: map userName from Coalesce([mail], [userPrincipalName]) in the app's attribute mappings.",
      );
    }
    throw invalidValue('userName must be an email address: Seatkeeper identifies people by email.');
  }
  const parts = nameParts(resource);
  checkComplexShapes(resource);
  const active = getValue(resource, 'active');
  return {
    email: email.data,
    name: options.name ?? displayNameOf(parts),
    givenName: parts.givenName,
    familyName: parts.familyName,
    externalId: text(getValue(resource, 'externalId'), 'externalId'),
    area: areaOf(resource, model, options.missingArea),
    ...(active === undefined || active === null ? {} : { active: booleanValue(active, 'active') }),
  };
}
