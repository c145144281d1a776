/**
 * SCIM attribute paths and filters (RFC 7644 §3.4.2.2, §3.10), as far as
 * identity providers use them: `eq` joined by `and` (all Entra ID sends; Okta
 * sends `userName eq`), on any attribute Seatkeeper keeps, including value
 * paths such as `emails[type eq "work"].value`. Other operators are refused
 * with `invalidFilter` rather than answered wrongly.
 */
import { ScimError, invalidFilter, invalidPath } from './scimErrors.ts';
import { CORE_USER_SCHEMA, commonAttributes, findAttribute, type AttributeDefinition, type UserSchemaModel } from './userSchema.ts';

/** Marks a path inside a value filter: it names a sub-attribute of the element being tested. */
const ELEMENT = '';

/** `[urn:]attribute[[valueFilter]][.subAttribute]`, resolved against the schema model. */
export interface AttributePath {
  /** As written, for messages. */
  text: string;
  /** Schema of the attribute: the core User schema (also for common attributes), an extension, or ELEMENT. */
  schema: string;
  /** Undefined when Seatkeeper does not keep the attribute. */
  attribute?: AttributeDefinition;
  valueFilter?: Filter;
  subAttribute?: AttributeDefinition;
  /** The path is an extension's URN alone: the whole extension object. */
  wholeExtension?: boolean;
}

export type FilterValue = string | number | boolean | null;
export type Filter = { op: 'eq'; path: AttributePath; value: FilterValue } | { op: 'and'; filters: Filter[] };

type Token = { kind: 'word'; text: string } | { kind: 'string'; value: string } | { kind: '(' | ')' | '[' | ']' };

const OTHER_OPERATORS = new Set(['ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);
const NAME = /^[A-Za-z][\w$-]*$/;

function tokenize(text: string, fail: (detail: string) => ScimError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if ('()[]'.includes(char)) {
      tokens.push({ kind: char as '(' | ')' | '[' | ']' });
      i++;
    } else if (char === '"') {
      // A JSON string (RFC 7644 §3.4.2.2: compValue is a JSON literal), escapes included.
      const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!match) throw fail(`Unterminated string in '${text}'.`);
      try {
        tokens.push({ kind: 'string', value: JSON.parse(match[0]) as string });
      } catch {
        throw fail(`Invalid string ${match[0]} in '${text}'.`);
      }
      i += match[0].length;
    } else {
      const match = /^[^\s()[\]"]+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

const lower = (text: string) => text.toLowerCase();

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly model: UserSchemaModel,
    /** Set inside a value filter: paths name sub-attributes of this attribute. */
    private readonly parent: AttributeDefinition | undefined,
    private readonly fail: (detail: string) => ScimError,
    private readonly source: string,
  ) {}

  get done() {
    return this.i >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private peekWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && lower(token.text) === word;
  }

  filter(): Filter {
    const filters = [this.term()];
    while (this.peekWord('and')) {
      this.i++;
      filters.push(this.term());
    }
    if (this.peekWord('or')) throw this.fail(`'or' is not supported in '${this.source}'; Seatkeeper supports eq joined by and.`);
    return filters.length === 1 ? filters[0]! : { op: 'and', filters };
  }

  private term(): Filter {
    const token = this.peek();
    if (token?.kind === '(') {
      this.i++;
      const inner = this.filter();
      if (this.peek()?.kind !== ')') throw this.fail(`Missing ')' in '${this.source}'.`);
      this.i++;
      return inner;
    }
    if (this.peekWord('not')) throw this.fail(`'not' is not supported in '${this.source}'; Seatkeeper supports eq joined by and.`);
    const path = this.path();
    if (!path.attribute) throw this.fail(`Filtering on '${path.text}' is not supported: Seatkeeper does not keep that attribute.`);
    const operator = this.peek();
    if (operator?.kind !== 'word') throw this.fail(`Expected an operator after '${path.text}' in '${this.source}'.`);
    this.i++;
    const op = lower(operator.text);
    if (OTHER_OPERATORS.has(op)) throw this.fail(`Operator '${operator.text}' is not supported; Seatkeeper supports eq joined by and.`);
    if (op !== 'eq') throw this.fail(`Expected an operator after '${path.text}' in '${this.source}', found '${operator.text}'.`);
    return { op: 'eq', path, value: this.value() };
  }

  private value(): FilterValue {
    const token = this.tokens[this.i++];
    if (token?.kind === 'string') return token.value;
    if (token?.kind === 'word') {
      const word = lower(token.text);
      if (word === 'true' || word === 'false') return word === 'true';
      if (word === 'null') return null;
      if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(word)) return Number(word);
    }
    throw this.fail(`Expected a value (a "string", true, false, null or a number) in '${this.source}'.`);
  }

  /** `[urn:]attr[.sub]` or `attr[filter][.sub]` from the tokens. */
  path(): AttributePath {
    const head = this.tokens[this.i++];
    if (head?.kind !== 'word' || head.text.startsWith('.')) throw this.fail(`Expected an attribute name in '${this.source}'.`);
    let text = head.text;
    let filterTokens: Token[] | undefined;
    if (this.peek()?.kind === '[') {
      const close = this.tokens.findIndex((t, index) => index > this.i && t.kind === ']');
      if (close < 0) throw this.fail(`Missing ']' in '${this.source}'.`);
      filterTokens = this.tokens.slice(this.i + 1, close);
      this.i = close + 1;
      text += '[…]';
    }
    let sub: string | undefined;
    const next = this.peek();
    if (filterTokens && next?.kind === 'word' && next.text.startsWith('.')) {
      sub = next.text.slice(1);
      text += next.text;
      this.i++;
    }
    return this.resolve(head.text, text, filterTokens, sub);
  }

  private resolve(head: string, text: string, filterTokens: Token[] | undefined, filterSub: string | undefined): AttributePath {
    if (this.parent) {
      // Inside a value filter: a sub-attribute of the multi-valued attribute.
      if (filterTokens) throw this.fail(`Value filters cannot be nested in '${this.source}'.`);
      const attribute = findAttribute(this.parent.subAttributes ?? [], head);
      if (!attribute) throw this.fail(`'${this.parent.name}' has no sub-attribute '${head}'.`);
      return { text, schema: ELEMENT, attribute };
    }
    let schema = CORE_USER_SCHEMA;
    let rest = head;
    if (lower(head).startsWith('urn:')) {
      const urns = [this.model.core.id, ...(this.model.extension ? [this.model.extension.id] : [])];
      const urn = urns.find((u) => lower(head).startsWith(lower(u)) && (head.length === u.length || head[u.length] === ':'));
      // A schema Seatkeeper does not know (e.g. an extension the provider maps to nothing here).
      if (!urn) return { text, schema: head.slice(0, head.lastIndexOf(':')) };
      if (head.length === urn.length) {
        if (urn === this.model.core.id) throw this.fail(`'${head}' names the whole resource, not an attribute.`);
        return { text, schema: urn, wholeExtension: true };
      }
      schema = urn;
      rest = head.slice(urn.length + 1);
    }
    const parts = rest.split('.');
    const [name, dottedSub] = parts;
    if (parts.length > 2 || !name || !NAME.test(name) || (dottedSub !== undefined && !NAME.test(dottedSub))) {
      throw this.fail(`'${text}' is not a valid attribute path.`);
    }
    if (dottedSub !== undefined && (filterTokens || filterSub)) throw this.fail(`'${text}' is not a valid attribute path.`);
    const attributes =
      schema === CORE_USER_SCHEMA ? [...this.model.core.attributes, ...commonAttributes] : this.model.extension!.attributes;
    const attribute = findAttribute(attributes, name);
    if (!attribute) return { text, schema };
    const path: AttributePath = { text, schema, attribute };
    if (filterTokens) {
      if (!attribute.multiValued || attribute.type !== 'complex')
        throw this.fail(`'${attribute.name}' is not multi-valued: it takes no [filter].`);
      const inner = new Parser(filterTokens, this.model, attribute, this.fail, this.source);
      path.valueFilter = inner.filter();
      if (!inner.done) throw this.fail(`Unexpected text inside [ ] in '${this.source}'.`);
    }
    const subName = dottedSub ?? filterSub;
    if (subName !== undefined) {
      const subAttribute = findAttribute(attribute.subAttributes ?? [], subName);
      // A sub-attribute Seatkeeper does not keep (e.g. name.middleName): the whole path is unknown.
      if (!subAttribute) return { text, schema };
      path.subAttribute = subAttribute;
    }
    return path;
  }
}

/** Reads all of `text` with `read`; `fail` makes the error (invalidFilter, invalidPath) of what cannot be read. */
function parseAll<T>(
  text: string,
  model: UserSchemaModel,
  fail: (detail: string) => ScimError,
  what: { empty: string; leftover: string },
  read: (parser: Parser) => T,
): T {
  const tokens = tokenize(text, fail);
  if (tokens.length === 0) throw fail(what.empty);
  const parser = new Parser(tokens, model, undefined, fail, text);
  const result = read(parser);
  if (!parser.done) throw fail(what.leftover);
  return result;
}

/** Parses a `filter` query parameter. */
export const parseFilter = (text: string, model: UserSchemaModel): Filter =>
  parseAll(
    text,
    model,
    invalidFilter,
    { empty: 'The filter is empty.', leftover: `Unexpected text after a complete filter in '${text}'.` },
    (parser) => parser.filter(),
  );

/** Parses a PATCH operation's `path`. */
export const parsePath = (text: string, model: UserSchemaModel): AttributePath =>
  parseAll(text, model, invalidPath, { empty: 'The path is empty.', leftover: `'${text}' is not a valid attribute path.` }, (parser) =>
    parser.path(),
  );

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key of `object` equal to `key` in any letter case (SCIM attribute names are case-insensitive). */
export function matchingKey(object: JsonObject, key: string): string | undefined {
  if (key in object) return key;
  const wanted = lower(key);
  return Object.keys(object).find((k) => lower(k) === wanted);
}

export function getValue(object: JsonObject, key: string): unknown {
  const found = matchingKey(object, key);
  return found === undefined ? undefined : object[found];
}

/** The object that holds `path`'s attribute: the resource, its extension object, or (in a value filter) the element. */
function containerOf(resource: JsonObject, path: AttributePath): JsonObject | undefined {
  if (path.schema === ELEMENT || path.schema === CORE_USER_SCHEMA) return resource;
  const extension = getValue(resource, path.schema);
  return isObject(extension) ? extension : undefined;
}

/** The values `path` selects in `resource`; a complex attribute without sub-attribute compares by its `value` (RFC 7644 §3.4.2.2). */
function valuesAt(resource: JsonObject, path: AttributePath): { values: unknown[]; caseExact: boolean } {
  const attribute = path.attribute!;
  const container = containerOf(resource, path);
  const raw = container ? getValue(container, attribute.name) : undefined;
  let values = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  if (path.valueFilter) values = values.filter((element) => isObject(element) && matches(path.valueFilter!, element));
  let definition = attribute;
  const sub = path.subAttribute ?? (attribute.type === 'complex' ? findAttribute(attribute.subAttributes ?? [], 'value') : undefined);
  if (sub) {
    definition = sub;
    values = values
      .map((element) => (isObject(element) ? getValue(element, sub.name) : undefined))
      .filter((v) => v !== undefined && v !== null);
  }
  return { values, caseExact: definition.caseExact };
}

function equal(actual: unknown, expected: FilterValue, caseExact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string')
    return caseExact ? actual === expected : lower(actual) === lower(expected);
  // Providers are loose with booleans (Entra sends "True"): compare booleans by meaning.
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === lower(expected);
  return actual === expected;
}

export function matches(filter: Filter, resource: JsonObject): boolean {
  if (filter.op === 'and') return filter.filters.every((f) => matches(f, resource));
  const { values, caseExact } = valuesAt(resource, filter.path);
  if (filter.value === null) return values.length === 0;
  return values.some((value) => equal(value, filter.value, caseExact));
}

/** The top-level `eq` terms of a filter (those every match must satisfy). */
function requiredTerms(filter: Filter): Extract<Filter, { op: 'eq' }>[] {
  return filter.op === 'and' ? filter.filters.flatMap(requiredTerms) : [filter];
}

/**
 * What the filter pins down that a key lookup can answer: an email (userName
 * or an emails value; they are the same address here), an id, or a
 * directory's own id (externalId; never empty, as no empty one is stored).
 * Without one the caller reads the directory's users and tests each.
 */
export type LookupKey = { email: string } | { id: string } | { externalId: string };

export function lookupKey(filter: Filter): LookupKey | undefined {
  for (const term of requiredTerms(filter)) {
    const name = term.path.attribute?.name;
    if (typeof term.value !== 'string' || term.path.schema !== CORE_USER_SCHEMA) continue;
    if (name === 'id') return { id: term.value };
    if (name === 'externalId' && term.value !== '') return { externalId: term.value };
    if (name === 'userName' || (name === 'emails' && (!term.path.subAttribute || term.path.subAttribute.name === 'value'))) {
      return { email: term.value };
    }
  }
  return undefined;
}
