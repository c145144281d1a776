/**
 * The SCIM User schema as Seatkeeper supports it (RFC 7643 §4.1, §7): exactly
 * the attributes it keeps. One model serves /Schemas, attribute paths in
 * filters and PATCH, and the case rules of `eq` (caseExact).
 */
import { PRIMARY_AREA } from '#core/user.ts';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Seatkeeper's own extension, the default home of the area attribute (the form Entra expects for custom attributes). */
const SEATKEEPER_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:seatkeeper:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface AttributeDefinition {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'default' | 'never' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

const attribute = (name: string, description: string, extra: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

/** The core User attributes Seatkeeper keeps. Others a provider sends are accepted and ignored. */
const coreUserAttributes: AttributeDefinition[] = [
  attribute('userName', "The person's email address: Seatkeeper identifies people by email, unique in any letter case. REQUIRED.", {
    required: true,
    uniqueness: 'server',
  }),
  attribute('name', "The person's name.", {
    type: 'complex',
    subAttributes: [
      attribute(
        'formatted',
        'The full name: kept as the display name when displayName is not sent; returned as given and family name joined when there are any.',
      ),
      attribute('familyName', 'The family name.'),
      attribute('givenName', 'The given name.'),
    ],
  }),
  attribute('displayName', 'The name shown in Seatkeeper.'),
  attribute(
    'emails',
    'Returned as the one address Seatkeeper keeps (userName, type "work", primary). Values sent are accepted but not kept: change userName to change the address, and match users on userName.',
    {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attribute('value', 'The email address.'),
        attribute('type', 'Always "work".', { canonicalValues: ['work'] }),
        attribute('primary', 'Always true.', { type: 'boolean' }),
      ],
    },
  ),
  attribute(
    'active',
    'true asks for a licence seat: granted when the area has one free, else the account waits (returned false) and the scheduled activation run grants one oldest first. false blocks the account and frees its seat. An account a Seatkeeper administrator blocked stays blocked.',
    { type: 'boolean' },
  ),
];

/** Attributes of every resource (RFC 7643 §3.1); not part of the User schema's attribute list. */
export const commonAttributes: AttributeDefinition[] = [
  attribute('id', 'Seatkeeper user id.', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  attribute('externalId', "The provider's own id for the user.", { caseExact: true }),
  attribute('meta', 'Resource metadata.', {
    type: 'complex',
    mutability: 'readOnly',
    subAttributes: [
      attribute('resourceType', 'Always "User".', { caseExact: true, mutability: 'readOnly' }),
      attribute('created', 'When the user was created.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('lastModified', 'When the user last changed.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('location', 'URI of the resource.', {
        type: 'reference',
        referenceTypes: ['uri'],
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
  attribute('schemas', 'Schemas of the resource.', { mutability: 'readOnly', multiValued: true, caseExact: true }),
];

/** Where the area is read from: an attribute of the core schema or of an extension. */
export interface AreaAttribute {
  schema: string;
  name: string;
}

const DEFAULT_AREA_ATTRIBUTE = `${SEATKEEPER_USER_SCHEMA}:area`;

/**
 * SCIM_AREA_ATTRIBUTE: `<extension URN>:<attribute>` (e.g. the enterprise
 * extension's department) or a core attribute name (e.g. userType). Read on each
 * call so a deployment (or a test) can change it without a code change.
 */
export const areaAttribute = (): AreaAttribute => parseAreaAttribute(process.env.SCIM_AREA_ATTRIBUTE || DEFAULT_AREA_ATTRIBUTE);

/** `name`: the setting, as the person who set it knows it (the stack checks its context with this too). */
export function parseAreaAttribute(text: string, name = 'SCIM_AREA_ATTRIBUTE'): AreaAttribute {
  const configured = text.trim();
  const colon = configured.lastIndexOf(':');
  const area =
    colon < 0 ? { schema: CORE_USER_SCHEMA, name: configured } : { schema: configured.slice(0, colon), name: configured.slice(colon + 1) };
  if (area.schema.toLowerCase() === CORE_USER_SCHEMA.toLowerCase()) area.schema = CORE_USER_SCHEMA;
  const taken = [...coreUserAttributes, ...commonAttributes].some((a) => a.name.toLowerCase() === area.name.toLowerCase());
  if (!/^[A-Za-z][\w$-]*$/.test(area.name) || (area.schema === CORE_USER_SCHEMA && taken)) {
    throw new Error(`${name} must be '<schema URN>:<attribute>' or a core attribute Seatkeeper does not already use, got '${configured}'.`);
  }
  return area;
}

/** Area of a user whose provider sends no area (SCIM_DEFAULT_AREA, default primary). */
export const defaultArea = () => process.env.SCIM_DEFAULT_AREA || PRIMARY_AREA;

export interface SchemaDocument {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

export interface UserSchemaModel {
  /** The core User schema, with the area attribute when it lives there. */
  core: SchemaDocument;
  /** The extension holding the area attribute, if it lives in one. */
  extension?: SchemaDocument;
  area: AreaAttribute;
}

const EXTENSION_NAMES: Record<string, string> = {
  [ENTERPRISE_USER_SCHEMA]: 'EnterpriseUser',
  [SEATKEEPER_USER_SCHEMA]: 'SeatkeeperUser',
};

export function userSchemaModel(): UserSchemaModel {
  const area = areaAttribute();
  const areaDefinition = attribute(
    area.name,
    "Seatkeeper area (licence pool) of the user, e.g. 'primary' or 'extranet'; compared in lower case. Missing on create: the default area.",
  );
  const core: SchemaDocument = {
    id: CORE_USER_SCHEMA,
    name: 'User',
    description: 'User Account',
    attributes: area.schema === CORE_USER_SCHEMA ? [...coreUserAttributes, areaDefinition] : coreUserAttributes,
  };
  if (area.schema === CORE_USER_SCHEMA) return { core, area };
  const known = Object.keys(EXTENSION_NAMES).find((urn) => urn.toLowerCase() === area.schema.toLowerCase());
  const schema = known ?? area.schema;
  return {
    core,
    area: { schema, name: area.name },
    extension: {
      id: schema,
      name: EXTENSION_NAMES[schema] ?? 'Extension',
      description: 'Seatkeeper licence area',
      attributes: [areaDefinition],
    },
  };
}

/** The attribute called `name` (any letter case) among `attributes`. */
export const findAttribute = (attributes: readonly AttributeDefinition[], name: string) =>
  attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());
