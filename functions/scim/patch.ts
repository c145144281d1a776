/**
 * PATCH (RFC 7644 §3.5.2) applied to a SCIM resource document. The result is
 * read like a PUT body, so one mapping decides what a request means.
 *
 * Accepted as providers send them: `op` in any letter case (Entra: "Replace"),
 * with or without `path`; without a path the value is an object whose keys are
 * attribute paths, including dotted ones ("name.givenName") and extension URNs;
 * value paths with filters (`emails[type eq "work"].value`), creating the
 * element when no element matches an `eq` filter (Entra adds addresses that
 * way). Attributes Seatkeeper does not keep are ignored; read-only ones
 * (id, meta, schemas) are refused with `mutability`.
 */
import { invalidSyntax, invalidValue, mutability, noTarget } from './scimErrors.ts';
import { booleanValue } from './userResource.ts';
import { getValue, isObject, matchingKey, matches, parsePath, type AttributePath, type Filter, type JsonObject } from './filter.ts';
import { CORE_USER_SCHEMA, findAttribute, type AttributeDefinition, type UserSchemaModel } from './userSchema.ts';

export type PatchOp = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOp;
  path?: string;
  value?: unknown;
}

const MAX_OPERATIONS = 100;

/** Reads a PatchOp message; structure errors are `invalidSyntax`, a remove without path is `noTarget`. */
export function patchOperations(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The body must be a PatchOp object.');
  const operations = getValue(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax('Operations must be a non-empty array.');
  if (operations.length > MAX_OPERATIONS) throw invalidSyntax(`At most ${MAX_OPERATIONS} operations per request.`);
  return operations.map((operation, i) => {
    if (!isObject(operation)) throw invalidSyntax(`Operations[${i}] must be an object.`);
    const op = getValue(operation, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name !== 'add' && name !== 'replace' && name !== 'remove')
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove.`);
    const path = getValue(operation, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') throw invalidSyntax(`Operations[${i}].path must be a string.`);
    const value = getValue(operation, 'value');
    if (name === 'remove' && !path) throw noTarget(`Operations[${i}]: remove needs a path.`);
    if (name !== 'remove' && value === undefined) throw invalidSyntax(`Operations[${i}]: ${name} needs a value.`);
    return { op: name, ...(path ? { path } : {}), ...(value !== undefined ? { value } : {}) };
  });
}

/** `value` with its keys in the schema's spelling (sub-attribute names are case-insensitive). */
function canonical(value: unknown, attribute: AttributeDefinition): unknown {
  if (attribute.multiValued && Array.isArray(value)) return value.map((v) => canonical(v, { ...attribute, multiValued: false }));
  if (attribute.type === 'complex' && isObject(value)) {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      const sub = findAttribute(attribute.subAttributes ?? [], key);
      out[sub?.name ?? key] = sub ? coerce(v, sub, `${attribute.name}.${sub.name}`) : v;
    }
    return out;
  }
  return coerce(value, attribute, attribute.name);
}

function coerce(value: unknown, attribute: AttributeDefinition, label: string): unknown {
  if (value === null || value === undefined) return value;
  if (attribute.type === 'boolean') return booleanValue(value, label);
  if (attribute.type === 'string' && typeof value !== 'string') throw invalidValue(`${label} must be a string.`);
  if (attribute.type === 'complex' && !attribute.multiValued && !isObject(value)) throw invalidValue(`${label} must be an object.`);
  return value;
}

/** The sub-attribute values an `eq` filter fixes, to build the element it asks for when none matches. */
function fixedBy(filter: Filter): JsonObject | undefined {
  if (filter.op === 'and') {
    const parts = filter.filters.map(fixedBy);
    return parts.every(Boolean) ? (Object.assign({}, ...parts) as JsonObject) : undefined;
  }
  return filter.path.attribute && filter.value !== null ? { [filter.path.attribute.name]: filter.value } : undefined;
}

const sameValue = (a: unknown, b: unknown) =>
  isObject(a) &&
  isObject(b) &&
  typeof a.value === 'string' &&
  typeof b.value === 'string' &&
  a.value.toLowerCase() === b.value.toLowerCase();

class Patcher {
  constructor(
    private readonly resource: JsonObject,
    private readonly model: UserSchemaModel,
  ) {}

  /** The object holding the path's attribute, created for add/replace. */
  private container(path: AttributePath, create: boolean): JsonObject | undefined {
    if (path.schema === CORE_USER_SCHEMA) return this.resource;
    const key = matchingKey(this.resource, path.schema) ?? path.schema;
    if (!isObject(this.resource[key])) {
      if (!create) return undefined;
      this.resource[key] = {};
    }
    return this.resource[key] as JsonObject;
  }

  apply(operation: PatchOperation): void {
    if (operation.path) return this.at(parsePath(operation.path, this.model), operation.op, operation.value);
    if (!isObject(operation.value)) throw invalidSyntax(`${operation.op} without a path needs an object of attributes as value.`);
    for (const [key, value] of Object.entries(operation.value)) {
      const path = parsePath(key, this.model);
      // A whole resource sent as the value (schemas, id, meta included): the read-only parts are not a change request.
      if (path.attribute?.mutability === 'readOnly') continue;
      this.at(path, operation.op, value);
    }
  }

  private at(path: AttributePath, op: PatchOp, value: unknown): void {
    if (path.wholeExtension) {
      if (op === 'remove') {
        const key = matchingKey(this.resource, path.schema);
        if (key) delete this.resource[key];
        return;
      }
      if (!isObject(value)) throw invalidValue(`${path.text} must be an object.`);
      for (const [key, v] of Object.entries(value)) this.at(parsePath(`${path.schema}:${key}`, this.model), op, v);
      return;
    }
    const attribute = path.attribute;
    // Attributes Seatkeeper does not keep: accepted and ignored, so provisioning does not stall on them.
    if (!attribute) return;
    if (attribute.mutability === 'readOnly') throw mutability(`${attribute.name} is read-only.`);
    // A null value is the provider clearing the attribute.
    if (op === 'remove' || value === null) return this.remove(path, op === 'remove' ? value : undefined);
    const container = this.container(path, true)!;
    const name = attribute.name;
    if (attribute.multiValued) return this.setElements(container, path, op, value);
    if (path.subAttribute) {
      const current = isObject(container[name]) ? container[name] : {};
      container[name] = { ...current, [path.subAttribute.name]: coerce(value, path.subAttribute, `${name}.${path.subAttribute.name}`) };
      return;
    }
    const next = canonical(value, attribute);
    // add and replace on a complex attribute both merge: sub-attributes not sent stay (RFC 7644 §3.5.2.1, §3.5.2.3).
    container[name] = attribute.type === 'complex' && isObject(container[name]) ? { ...container[name], ...(next as JsonObject) } : next;
  }

  private setElements(container: JsonObject, path: AttributePath, op: PatchOp, value: unknown): void {
    const attribute = path.attribute!;
    const name = attribute.name;
    const elements = Array.isArray(container[name]) ? [...(container[name] as unknown[])] : [];
    const sub = path.subAttribute;
    if (!path.valueFilter && !sub) {
      const added = (Array.isArray(value) ? value : [value]).map((v) => canonical(v, { ...attribute, multiValued: false }));
      if (op === 'replace') {
        container[name] = added;
        return;
      }
      for (const element of added) {
        const same = elements.findIndex((e) => sameValue(e, element));
        if (same >= 0) elements[same] = { ...(elements[same] as JsonObject), ...(element as JsonObject) };
        else elements.push(element);
      }
      container[name] = elements;
      return;
    }
    const selected = elements.filter((e) => isObject(e) && (!path.valueFilter || matches(path.valueFilter, e))) as JsonObject[];
    const update = (element: JsonObject): JsonObject =>
      sub
        ? { ...element, [sub.name]: coerce(value, sub, `${name}.${sub.name}`) }
        : { ...element, ...(canonical(value, { ...attribute, multiValued: false }) as JsonObject) };
    if (selected.length === 0) {
      const seed = path.valueFilter ? fixedBy(path.valueFilter) : {};
      if (!seed) throw noTarget(`No value of ${name} matches ${path.text}.`);
      if (!sub && !isObject(value)) throw invalidValue(`${path.text} needs an object value.`);
      elements.push(update(seed));
    } else {
      for (let i = 0; i < elements.length; i++) {
        if (selected.includes(elements[i] as JsonObject)) elements[i] = update(elements[i] as JsonObject);
      }
    }
    container[name] = elements;
  }

  private remove(path: AttributePath, value: unknown): void {
    const attribute = path.attribute!;
    const container = this.container(path, false);
    if (!container) return;
    const key = matchingKey(container, attribute.name);
    if (key === undefined) return;
    const sub = path.subAttribute;
    if (!attribute.multiValued) {
      if (sub && isObject(container[key])) delete container[key][sub.name];
      else if (!sub) delete container[key];
      return;
    }
    const elements = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
    // Remove with a value list (the form Entra uses for members): drop the elements with those values.
    const listed = !path.valueFilter && !sub && value !== undefined ? (Array.isArray(value) ? value : [value]) : undefined;
    const selected = (element: unknown) =>
      listed ? listed.some((v) => sameValue(element, v)) : !path.valueFilter || (isObject(element) && matches(path.valueFilter, element));
    if (!path.valueFilter && !sub && !listed) {
      delete container[key];
      return;
    }
    container[key] = sub
      ? elements.map((e) => {
          if (!isObject(e) || !selected(e)) return e;
          const { [sub.name]: _, ...rest } = e;
          return rest;
        })
      : elements.filter((e) => !selected(e));
  }
}

/** Applies the operations in order to a copy of `resource`; all or nothing, as RFC 7644 requires. */
export function applyPatch(resource: JsonObject, operations: PatchOperation[], model: UserSchemaModel): JsonObject {
  const copy = structuredClone(resource);
  const patcher = new Patcher(copy, model);
  for (const operation of operations) patcher.apply(operation);
  return copy;
}
