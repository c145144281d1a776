/**
 * Discovery documents (RFC 7644 §4, RFC 7643 §5–7): exactly what this SCIM
 * service supports, built from the same schema model the handlers use.
 */
import type { JsonObject } from './filter.ts';
import { MAX_RESULTS } from './listResponse.ts';
import { scimNotFound } from './scimErrors.ts';
import { CORE_USER_SCHEMA, type AttributeDefinition, type SchemaDocument, type UserSchemaModel } from './userSchema.ts';

const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    // eq joined by and, on any attribute of /Schemas; userName and id are key lookups.
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'A long-lived token per directory, issued by a Seatkeeper licence administrator (POST /scim-tokens). Send it as Authorization: Bearer <token>.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** Only User: Seatkeeper keeps no groups (a provider's group push stays off). */
export function resourceTypes(baseUrl: string, model: UserSchemaModel): JsonObject[] {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: CORE_USER_SCHEMA,
      ...(model.extension ? { schemaExtensions: [{ schema: model.extension.id, required: false }] } : {}),
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
  ];
}

/** RFC 7643 §7 form; optional members only when they say something (Entra: no nulls). */
function attributeJson(attribute: AttributeDefinition): JsonObject {
  const { subAttributes, canonicalValues, referenceTypes, ...rest } = attribute;
  return {
    ...rest,
    ...(canonicalValues ? { canonicalValues } : {}),
    ...(referenceTypes ? { referenceTypes } : {}),
    ...(subAttributes?.length ? { subAttributes: subAttributes.map(attributeJson) } : {}),
  };
}

function schemaJson(schema: SchemaDocument, baseUrl: string): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeJson),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function schemas(baseUrl: string, model: UserSchemaModel): JsonObject[] {
  return [model.core, ...(model.extension ? [model.extension] : [])].map((schema) => schemaJson(schema, baseUrl));
}

/** The document whose id is `id`, ignoring case (ids here are names and URNs, compared like attribute names). */
export function documentById(documents: JsonObject[], id: string): JsonObject {
  const document = documents.find((d) => String(d.id).toLowerCase() === id.toLowerCase());
  if (!document) throw scimNotFound(id);
  return document;
}
