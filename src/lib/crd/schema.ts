/**
 * The schema language of custom resources: the structural subset of OpenAPI v3 that the
 * apiserver accepts in `spec.versions[].schema.openAPIV3Schema`, written as plain JSON Schema
 * objects, plus {@link FromSchema}, which derives the TypeScript type of a value from a schema
 * literal, and {@link structuralProblems}, which checks a schema the way the apiserver will.
 *
 * The schema is the single source of truth: it is sent to the server byte for byte (no
 * translation layer that could drift from what the server validates and prunes), and the
 * TypeScript types are computed from it at compile time.
 */

/** Any JSON value (defaults, enum members, examples). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A CEL validation rule (`x-kubernetes-validations`). `self` is the value at the schema node
 * that carries the rule (the whole object for top-level rules); transition rules may use
 * `oldSelf`. A failing rule makes a create or update fail with 422 Invalid whose message
 * contains `message` (or the result of `messageExpression`; by default `failed rule: <rule>`).
 */
export interface ValidationRule {
  /** The CEL expression; must evaluate to a bool. */
  readonly rule: string;
  /** The failure message; required when `rule` spans several lines, and must not contain line breaks. */
  readonly message?: string;
  /** A CEL expression evaluating to the failure message (takes precedence over `message`). */
  readonly messageExpression?: string;
  /** The field the failure is reported on, relative to the node carrying the rule (e.g. `.replicas`). */
  readonly fieldPath?: string;
  /** The Status cause reason reported on failure (default `FieldValueInvalid`). */
  readonly reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  /** Evaluate a transition rule even when there is no old value (`oldSelf` is then an optional). */
  readonly optionalOldSelf?: boolean;
}

/** The `type` of a structural schema node. `null` is expressed with `nullable: true`. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/**
 * One node of a structural OpenAPI v3 schema, as the apiserver accepts it in a
 * CustomResourceDefinition (`JSONSchemaProps`, minus what CRDs forbid: `$ref`, `definitions`,
 * `dependencies`, `patternProperties`, `additionalItems`, `id`, `$schema`, `uniqueItems: true`
 * and `additionalProperties: false`).
 *
 * Structural means: every node states its `type` (except `x-kubernetes-int-or-string` and
 * `x-kubernetes-preserve-unknown-fields` nodes), arrays state `items`, and the logical junctors
 * (`allOf`, `anyOf`, `oneOf`, `not`) only add value validations to fields that are already
 * specified outside of them. Fields not in the schema are pruned by the server unless
 * `x-kubernetes-preserve-unknown-fields` is set.
 */
export interface JsonSchema {
  readonly type?: SchemaType;
  readonly description?: string;
  readonly title?: string;
  /** Validated formats include `int32`, `int64`, `date`, `date-time`, `duration`, `byte`, `uri`, `uuid`, `hostname`, … */
  readonly format?: string;
  /** Applied by the server when the field is absent (on read from etcd and on write). */
  readonly default?: JsonValue;
  readonly example?: JsonValue;
  readonly enum?: readonly JsonValue[];
  /** Also allow `null` (otherwise a `null` field is pruned or, with a default, defaulted). */
  readonly nullable?: boolean;
  /** The fields of an object. Mutually exclusive with `additionalProperties`. */
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  /** A map: every value has this schema (`true`: values of any kind). */
  readonly additionalProperties?: JsonSchema | true;
  /** The schema of every element of an array (required for `type: 'array'`). */
  readonly items?: JsonSchema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** An RE2 regular expression (the server's dialect). */
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly allOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly not?: JsonSchema;
  /** An integer or a string (e.g. a port number or name, or a percentage); `type` must be absent. */
  readonly 'x-kubernetes-int-or-string'?: true;
  /** Keep fields the schema does not name instead of pruning them. */
  readonly 'x-kubernetes-preserve-unknown-fields'?: true;
  /** The value is a Kubernetes object (apiVersion, kind, metadata are validated). */
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  /** How server-side apply merges the list: as a whole, as a set of scalars, or as a map keyed by `x-kubernetes-list-map-keys`. */
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  /** How server-side apply merges the object: field by field (`granular`) or as a whole. */
  readonly 'x-kubernetes-map-type'?: 'granular' | 'atomic';
  /** CEL rules evaluated against the value at this node. */
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
}

/** Flattens an intersection into one object type, so inferred types read like hand-written ones. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<S> = S extends { readonly required: readonly (infer R)[] } ? Extract<R, string> : never;

type PropertiesOf<P, R extends string> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]: FromSchema<P[K]> } & {
    -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]>;
  }
>;

type Unknowns<S> = S extends { readonly 'x-kubernetes-preserve-unknown-fields': true } ? { [key: string]: unknown } : unknown;

type ObjectOf<S> = S extends { readonly properties: infer P }
  ? Unknowns<S> extends { [key: string]: unknown }
    ? Simplify<PropertiesOf<P, RequiredKeys<S>> & { [key: string]: unknown }>
    : PropertiesOf<P, RequiredKeys<S>>
  : S extends { readonly additionalProperties: infer A }
    ? A extends JsonSchema
      ? { [key: string]: FromSchema<A> }
      : { [key: string]: unknown }
    : S extends { readonly 'x-kubernetes-preserve-unknown-fields': true }
      ? { [key: string]: unknown }
      : // An object schema without fields: the server prunes whatever is sent.
        { [key: string]: never };

type Embedded<S> = Simplify<{ apiVersion?: string; kind?: string; metadata?: { [key: string]: unknown } } & ObjectOf<S>>;

type ValueOf<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly 'x-kubernetes-int-or-string': true }
    ? number | string
    : S extends { readonly 'x-kubernetes-embedded-resource': true }
      ? Embedded<S>
      : S extends { readonly type: 'string' }
        ? string
        : S extends { readonly type: 'integer' | 'number' }
          ? number
          : S extends { readonly type: 'boolean' }
            ? boolean
            : S extends { readonly type: 'array'; readonly items: infer I }
              ? FromSchema<I>[]
              : S extends { readonly type: 'object' }
                ? ObjectOf<S>
                : // No type: x-kubernetes-preserve-unknown-fields (anything) or a schema we cannot read.
                  unknown;

/**
 * The TypeScript type of the values a schema literal admits, computed at compile time:
 * objects (`properties` with `required` keys mandatory and the rest optional), maps
 * (`additionalProperties`), arrays (`items`), `string` (an `enum` becomes a union of its
 * members), `integer`/`number`, `boolean`, `nullable` (adds `null`), `x-kubernetes-int-or-string`
 * (`number | string`), `x-kubernetes-embedded-resource` (an object with apiVersion, kind and
 * metadata) and `x-kubernetes-preserve-unknown-fields` (`unknown`, or an index signature next to
 * the named fields). Write schemas inline in `defineCustomResource` or declare them `as const`,
 * so that literal types such as `type: 'string'` survive.
 */
export type FromSchema<S> = S extends { readonly nullable: true } ? ValueOf<S> | null : ValueOf<S>;

// ---------------------------------------------------------------------------------------------
// Runtime checks

const SCHEMA_TYPES: ReadonlySet<string> = new Set<SchemaType>(['object', 'array', 'string', 'integer', 'number', 'boolean']);

const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'description', 'title', 'format', 'default', 'example', 'enum', 'nullable', 'properties', 'required',
  'additionalProperties', 'items', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'allOf', 'anyOf', 'oneOf', 'not', 'externalDocs',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

/** JSON Schema keywords that JSONSchemaProps has but CustomResourceDefinitions reject. */
const UNSUPPORTED_KEYWORDS: ReadonlySet<string> = new Set(['$ref', '$schema', 'id', 'definitions', 'dependencies', 'patternProperties', 'additionalItems']);

/** What may not appear inside `allOf`/`anyOf`/`oneOf`/`not`: they only add value validations. */
const FORBIDDEN_IN_JUNCTORS = [
  'type', 'additionalProperties', 'default', 'title', 'description', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations',
] as const;

const RULE_REASONS: ReadonlySet<string> = new Set(['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate']);

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** `path.properties[name]`, the apiserver's field path notation. */
const child = (path: string, key: string): string => `${path}.${key}`;
const keyed = (path: string, key: string, name: string | number): string => `${path}.${key}[${name}]`;

/**
 * Problems with a list of CEL rules (`x-kubernetes-validations` at `path`), as the apiserver
 * would report them at CRD admission (except CEL compilation, which only the server does).
 */
export function ruleProblems(rules: unknown, path: string): string[] {
  if (!Array.isArray(rules)) return [`${path}: must be a list of rules`];
  const out: string[] = [];
  rules.forEach((r: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isNode(r)) return void out.push(`${at}: must be an object with a rule`);
    if (typeof r.rule !== 'string' || !r.rule.trim()) out.push(`${at}.rule: must be a non-empty CEL expression`);
    else if (/[\r\n]/.test(r.rule) && r.message === undefined && r.messageExpression === undefined) {
      out.push(`${at}.message: is required when the rule spans several lines`);
    }
    if (r.message !== undefined && (typeof r.message !== 'string' || /[\r\n]/.test(r.message))) {
      out.push(`${at}.message: must be a string without line breaks`);
    }
    if (r.reason !== undefined && !RULE_REASONS.has(String(r.reason))) {
      out.push(`${at}.reason: must be one of ${[...RULE_REASONS].join(', ')}`);
    }
    if (r.fieldPath !== undefined && (typeof r.fieldPath !== 'string' || !r.fieldPath.startsWith('.'))) {
      out.push(`${at}.fieldPath: must be a JSON path relative to the rule's node, starting with "."`);
    }
  });
  return out;
}

const isIntOrStringAnyOf = (v: unknown): boolean =>
  Array.isArray(v) &&
  v.length === 2 &&
  isNode(v[0]) && Object.keys(v[0]).length === 1 && v[0].type === 'integer' &&
  isNode(v[1]) && Object.keys(v[1]).length === 1 && v[1].type === 'string';

/**
 * The reasons `schema` (at `path`) is not a structural schema the apiserver accepts in a
 * CustomResourceDefinition; empty when it is. `level` says where the node sits: a `field` of an
 * object (the default) or the `items` of an array, which is what the apiserver's "type must not
 * be empty" messages distinguish.
 */
export function structuralProblems(schema: unknown, path: string, level: 'field' | 'item' = 'field'): string[] {
  const out: string[] = [];
  checkNode(schema, path, level, out);
  return out;
}

function checkNode(node: unknown, path: string, level: 'field' | 'item', out: string[]): void {
  if (!isNode(node)) return void out.push(`${path}: must be a schema object`);
  checkKeywords(node, path, out);

  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  const type = node.type;

  if (type !== undefined && (typeof type !== 'string' || !SCHEMA_TYPES.has(type))) {
    out.push(`${child(path, 'type')}: must be one of ${[...SCHEMA_TYPES].join(', ')} (use nullable: true for null)`);
  }
  if (embedded && type !== 'object') out.push(`${child(path, 'type')}: must be object if x-kubernetes-embedded-resource is true`);
  else if (type === undefined && !intOrString && !preserve) {
    out.push(`${child(path, 'type')}: must not be empty for specified ${level === 'item' ? 'array items' : 'object fields'} (a structural schema types every node)`);
  }
  if (intOrString && type !== undefined) out.push(`${child(path, 'type')}: must be empty if x-kubernetes-int-or-string is true`);
  if (intOrString && preserve) out.push(`${child(path, 'x-kubernetes-preserve-unknown-fields')}: must be false if x-kubernetes-int-or-string is true`);
  if (intOrString && embedded) out.push(`${child(path, 'x-kubernetes-embedded-resource')}: must be false if x-kubernetes-int-or-string is true`);
  if (node['x-kubernetes-preserve-unknown-fields'] !== undefined && !preserve) {
    out.push(`${child(path, 'x-kubernetes-preserve-unknown-fields')}: must be true or absent`);
  }
  if (node.uniqueItems === true) out.push(`${child(path, 'uniqueItems')}: cannot be true (use x-kubernetes-list-type: set)`);

  if (node.properties !== undefined) {
    if (!isNode(node.properties)) out.push(`${child(path, 'properties')}: must be an object of schemas`);
    else for (const [name, sub] of Object.entries(node.properties)) checkNode(sub, keyed(path, 'properties', name), 'field', out);
  }
  if (node.additionalProperties !== undefined) {
    const ap = node.additionalProperties;
    if (ap === false) out.push(`${child(path, 'additionalProperties')}: cannot be false (unknown fields are pruned by default)`);
    else if (ap !== true) checkNode(ap, child(path, 'additionalProperties'), 'field', out);
    if (node.properties !== undefined) out.push(`${child(path, 'additionalProperties')}: properties and additionalProperties are mutually exclusive`);
    if (embedded) out.push(`${child(path, 'additionalProperties')}: must not be used if x-kubernetes-embedded-resource is set`);
  }
  if ((node.properties !== undefined || node.additionalProperties !== undefined) && type !== undefined && type !== 'object') {
    out.push(`${child(path, 'type')}: must be object to have properties or additionalProperties`);
  }
  if (embedded && !preserve && node.properties === undefined) {
    out.push(`${child(path, 'properties')}: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`);
  }
  if (node.required !== undefined && !isStringArray(node.required)) out.push(`${child(path, 'required')}: must be a list of field names`);
  if (node.enum !== undefined && !Array.isArray(node.enum)) out.push(`${child(path, 'enum')}: must be a list of values`);

  if (type === 'array' && node.items === undefined) out.push(`${child(path, 'items')}: must be specified for type array`);
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) out.push(`${child(path, 'items')}: must be a schema object and not an array`);
    else checkNode(node.items, child(path, 'items'), 'item', out);
    if (type !== undefined && type !== 'array') out.push(`${child(path, 'type')}: must be array to have items`);
  }

  checkListAndMapTypes(node, path, out);
  if (node['x-kubernetes-validations'] !== undefined) out.push(...ruleProblems(node['x-kubernetes-validations'], child(path, 'x-kubernetes-validations')));

  const skipAnyOf = isIntOrStringAnyOf(node.anyOf);
  const skipFirstAllOfAnyOf = Array.isArray(node.allOf) && isNode(node.allOf[0]) && isIntOrStringAnyOf(node.allOf[0].anyOf);
  checkJunctors(node, node, path, skipAnyOf, skipFirstAllOfAnyOf, out);
}

function checkKeywords(node: Node, path: string, out: string[]): void {
  for (const key of Object.keys(node)) {
    if (UNSUPPORTED_KEYWORDS.has(key)) out.push(`${child(path, key)}: is not supported in CustomResourceDefinition schemas`);
    else if (!KNOWN_KEYWORDS.has(key)) out.push(`${child(path, key)}: is not a schema keyword the apiserver knows`);
  }
}

function checkListAndMapTypes(node: Node, path: string, out: string[]): void {
  const listType = node['x-kubernetes-list-type'];
  const mapKeys = node['x-kubernetes-list-map-keys'];
  if (listType !== undefined) {
    if (listType !== 'atomic' && listType !== 'set' && listType !== 'map') out.push(`${child(path, 'x-kubernetes-list-type')}: must be atomic, set or map`);
    if (node.type !== 'array') out.push(`${child(path, 'x-kubernetes-list-type')}: must only be used if type is array`);
    if (listType === 'map') {
      if (!isStringArray(mapKeys) || mapKeys.length === 0) out.push(`${child(path, 'x-kubernetes-list-map-keys')}: must not be empty if x-kubernetes-list-type is map`);
      if (!isNode(node.items) || node.items.type !== 'object') out.push(`${child(path, 'items.type')}: must be object if x-kubernetes-list-type is map`);
    }
  }
  if (mapKeys !== undefined && listType !== 'map') out.push(`${child(path, 'x-kubernetes-list-map-keys')}: must only be used if x-kubernetes-list-type is map`);
  const mapType = node['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (mapType !== 'granular' && mapType !== 'atomic') out.push(`${child(path, 'x-kubernetes-map-type')}: must be granular or atomic`);
    if (node.type !== 'object') out.push(`${child(path, 'x-kubernetes-map-type')}: must only be used if type is object`);
  }
}

/**
 * `allOf`/`anyOf`/`oneOf`/`not` of `node`, whose fields must be specified by `outer` (the
 * structural node they validate) and which may only carry value validations. The int-or-string
 * patterns (`anyOf: [{type: integer}, {type: string}]`, also as the first `allOf` entry) are the
 * apiserver's two exceptions.
 */
function checkJunctors(node: Node, outer: unknown, path: string, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, out: string[]): void {
  const lists = [
    ['allOf', node.allOf],
    ['anyOf', skipAnyOf ? undefined : node.anyOf],
    ['oneOf', node.oneOf],
  ] as const;
  for (const [key, list] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.push(`${child(path, key)}: must be a list of schemas`);
      continue;
    }
    list.forEach((sub: unknown, i) => checkNested(sub, outer, keyed(path, key, i), key === 'allOf' && i === 0 && skipFirstAllOfAnyOf, out));
  }
  if (node.not !== undefined) checkNested(node.not, outer, child(path, 'not'), false, out);
}

function checkNested(node: unknown, outer: unknown, path: string, skipAnyOf: boolean, out: string[]): void {
  if (!isNode(node)) return void out.push(`${path}: must be a schema object`);
  checkKeywords(node, path, out);
  for (const key of FORBIDDEN_IN_JUNCTORS) {
    if (node[key] !== undefined) out.push(`${child(path, key)}: must be empty to be structural (junctors only add value validations)`);
  }
  const outerNode = isNode(outer) ? outer : {};
  if (node.properties !== undefined) {
    if (!isNode(node.properties)) out.push(`${child(path, 'properties')}: must be an object of schemas`);
    else {
      for (const [name, sub] of Object.entries(node.properties)) {
        const at = keyed(path, 'properties', name);
        if (name === 'metadata') out.push(`${at}: must not be specified in a nested context`);
        const outerProps = isNode(outerNode.properties) ? outerNode.properties : undefined;
        const counterpart = outerProps?.[name] ?? (isNode(outerNode.additionalProperties) ? outerNode.additionalProperties : undefined);
        if (counterpart === undefined && outerNode['x-kubernetes-preserve-unknown-fields'] !== true) {
          out.push(`${at}: must have a counterpart outside of the junctor (a structural schema specifies every field outside of value validations)`);
        }
        checkNested(sub, counterpart, at, false, out);
      }
    }
  }
  if (node.items !== undefined) {
    if (outerNode.items === undefined) out.push(`${child(path, 'items')}: must have a counterpart outside of the junctor`);
    checkNested(node.items, outerNode.items, child(path, 'items'), false, out);
  }
  checkJunctors(node, outer, path, skipAnyOf, false, out);
}

/**
 * The schema node a simple JSON path (`.spec.replicas`, no array notation) names in `root`
 * (a schema of the whole object), `undefined` when the path leaves the schema, or `'open'` when
 * it passes through a part whose fields the schema does not fix (a map or preserved unknown fields).
 */
export function schemaAt(root: JsonSchema, jsonPath: string): JsonSchema | 'open' | undefined {
  let node: JsonSchema = root;
  for (const segment of jsonPath.slice(1).split('.')) {
    const next: JsonSchema | undefined = node.properties?.[segment];
    if (next) node = next;
    else if (node.additionalProperties === true || node['x-kubernetes-preserve-unknown-fields']) return 'open';
    else if (node.additionalProperties) node = node.additionalProperties;
    else return undefined;
  }
  return node;
}
