/**
 * The pure half of scripts/gen-types.ts: OpenAPI v3 schemas and discovery data in, TypeScript
 * source text out. Nothing here touches the network or the file system, so tests can feed it
 * small hand-written schema fragments.
 *
 * Conventions of the output:
 * - One module per Go package: `io.k8s.api.apps.v1.Deployment` goes to `apps/v1.ts` as
 *   `Deployment`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` to `meta/v1.ts`,
 *   `io.k8s.apimachinery.pkg.util.intstr.IntOrString` to `util/intstr.ts` (see `typeNameOf`).
 * - Object schemas become type aliases of object literal types (`export type Pod = { ... }`),
 *   not interfaces: only type literals get TypeScript's implicit index signature, which every
 *   top-level kind needs to be assignable to `KubeObject` (`[key: string]: unknown`).
 * - Properties are optional unless listed in `required`; `apiVersion` and `kind` of top-level
 *   kinds (`x-kubernetes-group-version-kind`) are string literals.
 * - Wire formats, not Go types: Time/MicroTime and Quantity are `string`, int-or-string is
 *   `number | string`, maps are `Record<string, T>`, free-form objects `Record<string, unknown>`
 *   and schemas without any constraint `unknown`.
 */

/** The subset of an OpenAPI v3 schema object the Kubernetes documents use. */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $ref?: string;
  enum?: unknown[];
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Where a schema's type lives: the output module (`core/v1`) and its short name (`Pod`). */
export interface TypeName {
  module: string;
  name: string;
}

/** Package prefixes of schema names, longest first; what follows becomes the module path. */
const PACKAGE_PREFIXES = [
  'io.k8s.apiextensions-apiserver.pkg.apis.',
  'io.k8s.kube-aggregator.pkg.apis.',
  'io.k8s.apimachinery.pkg.apis.',
  'io.k8s.apimachinery.pkg.',
  'io.k8s.api.',
];

/**
 * `io.k8s.api.core.v1.Pod` → `{ module: 'core/v1', name: 'Pod' }`: the Go package path after
 * its well-known prefix, dots turned into directories. Unknown prefixes keep the whole package.
 */
export function typeNameOf(fullName: string): TypeName {
  const dot = fullName.lastIndexOf('.');
  if (dot <= 0) throw new Error(`schema name without a package: ${fullName}`);
  const pkg = fullName.slice(0, dot);
  const name = fullName.slice(dot + 1);
  const prefix = PACKAGE_PREFIXES.find((p) => `${pkg}.`.startsWith(p));
  const rest = prefix ? pkg.slice(prefix.length) : pkg;
  const module = rest.split('.').map((s) => s.replace(/[^A-Za-z0-9_]/g, '_')).join('/');
  return { module, name };
}

/**
 * The identifier a module is known by when imported as a namespace, as Go code imports it:
 * versioned packages join group and version (`corev1`, `autoscalingv2`), others use their last
 * segment (`intstr`, `resource`, `runtime`).
 */
export function namespaceOf(module: string): string {
  const parts = module.split('/');
  const last = parts[parts.length - 1] ?? module;
  if (/^v\d+((alpha|beta)\d+)?$/.test(last) && parts.length >= 2) return parts.slice(-2).join('');
  return last;
}

/** `core/v1` → `CoreV1`: prefix for an import alias when two modules export the same name. */
export function pascalOf(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Relative ESM import specifier from one module to another (`../meta/v1.js`). */
export function importPath(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const target = to.split('/');
  let common = 0;
  while (common < fromDir.length && common < target.length - 1 && fromDir[common] === target[common]) common++;
  const up = fromDir.length - common;
  const rest = target.slice(common).join('/');
  return `${up === 0 ? './' : '../'.repeat(up)}${rest}.js`;
}

/** The schema name a `$ref` points at (`#/components/schemas/NAME` → `NAME`). */
export function refName(ref: string): string {
  const m = /^#\/(?:components\/schemas|definitions)\/(.+)$/.exec(ref);
  if (!m?.[1]) throw new Error(`unsupported $ref: ${ref}`);
  return m[1];
}

/** Turns a referenced schema's full name into the identifier usable in the current module. */
export type RefResolver = (fullName: string) => string;

/** A TypeScript string literal in the project's style (single quotes). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Property key: bare when it is an identifier, quoted otherwise (`'x-kubernetes-…'`). */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

function literalOf(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return 'unknown';
}

/** Joins union members, dropping duplicates; `unknown` absorbs everything. */
function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.join(' | ');
}

/** True when a type text has `|` or `&` outside brackets and string literals. */
function hasTopLevelOperator(type: string): boolean {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < type.length; i++) {
    const ch = type[i]!;
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if ('(<{['.includes(ch)) depth++;
    else if (')>}]'.includes(ch)) depth--;
    else if (depth === 0 && (ch === '|' || ch === '&')) return true;
  }
  return false;
}

/** Wraps a type in parentheses when it would bind wrongly before `[]`. */
function arrayOf(element: string): string {
  return hasTopLevelOperator(element) ? `(${element})[]` : `${element}[]`;
}

/**
 * The TypeScript type of a schema. `indent` is the indentation of the line the type starts on,
 * used when an inline object literal spans several lines.
 */
export function toTsType(schema: JsonSchema, resolve: RefResolver, indent = ''): string {
  const type = baseType(schema, resolve, indent);
  return schema.nullable && type !== 'unknown' ? union([type, 'null']) : type;
}

function baseType(schema: JsonSchema, resolve: RefResolver, indent: string): string {
  if (schema.$ref) return resolve(refName(schema.$ref));
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  if (schema.enum && schema.enum.length > 0) return union(schema.enum.map(literalOf));
  // The Kubernetes documents wrap every property `$ref` in a one-element `allOf` (so the
  // property can carry its own description and default); more elements mean an intersection.
  if (schema.allOf && schema.allOf.length > 0) {
    const parts = [...new Set(schema.allOf.map((s) => toTsType(s, resolve, indent)))];
    if (parts.length === 1) return parts[0]!;
    return parts.map((p) => (hasTopLevelOperator(p) ? `(${p})` : p)).join(' & ');
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives && alternatives.length > 0) return union(alternatives.map((s) => toTsType(s, resolve, indent)));
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return arrayOf(schema.items ? toTsType(schema.items, resolve, indent) : 'unknown');
    case 'object':
    case undefined:
      return objectType(schema, resolve, indent);
    default:
      return 'unknown';
  }
}

function objectType(schema: JsonSchema, resolve: RefResolver, indent: string): string {
  const props = schema.properties ?? {};
  const extra = schema.additionalProperties;
  const extraType =
    extra === undefined || extra === false ? undefined : extra === true ? 'unknown' : toTsType(extra, resolve, indent);
  if (Object.keys(props).length === 0) {
    if (extraType !== undefined) return `Record<string, ${extraType}>`;
    // `type: object` without a shape is a free-form JSON object; no type at all is any value.
    return schema.type === 'object' || schema['x-kubernetes-preserve-unknown-fields'] ? 'Record<string, unknown>' : 'unknown';
  }
  const lines = propertyLines(schema, resolve, `${indent}  `, undefined);
  // Declared properties plus a map part: the index signature must admit the properties' types too.
  if (extraType !== undefined || schema['x-kubernetes-preserve-unknown-fields']) lines.push(`${indent}  [key: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** Lines of an object literal's members, each with its doc comment, at `indent`. */
function propertyLines(
  schema: JsonSchema,
  resolve: RefResolver,
  indent: string,
  literals: { apiVersion?: string; kind?: string } | undefined,
): string[] {
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const literal = name === 'apiVersion' || name === 'kind' ? literals?.[name] : undefined;
    // apiVersion/kind of a top-level kind say everything their (long, shared) description says.
    if (literal === undefined) lines.push(...docComment(prop.description, indent));
    const type = literal ?? toTsType(prop, resolve, indent);
    lines.push(`${indent}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${type};`);
  }
  return lines;
}

/** First paragraph of a description, whitespace collapsed. */
export function summary(description: string | undefined): string {
  if (!description) return '';
  const first = description.trim().split(/\n\s*\n/)[0] ?? '';
  return first.replace(/\s+/g, ' ').trim();
}

/**
 * A JSDoc comment of the description's first paragraph, wrapped at `width` columns; no lines
 * when there is no description. `*\/` inside the text (RBAC globs) is defused.
 */
export function docComment(description: string | undefined, indent = '', width = 100): string[] {
  const text = summary(description).replace(/\*\//g, '*\\/');
  if (!text) return [];
  const oneLine = `${indent}/** ${text} */`;
  if (oneLine.length <= width) return [oneLine];
  const lines = [`${indent}/**`];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + 3 + line.length + 1 + word.length > width) {
      lines.push(`${indent} * ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${indent} * ${line}`);
  lines.push(`${indent} */`);
  return lines;
}

/** `apiVersion` as objects carry it: `v1` for the core group, `group/version` otherwise. */
export function apiVersionString(gvk: Pick<GroupVersionKind, 'group' | 'version'>): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/**
 * Literal types for a top-level kind's `apiVersion` and `kind`: `kind` when all its
 * group-version-kinds agree on it, `apiVersion` only when there is exactly one (DeleteOptions
 * and WatchEvent are served in every group, so theirs stays `string`).
 */
export function kindLiterals(schema: JsonSchema): { apiVersion?: string; kind?: string } | undefined {
  const gvks = schema['x-kubernetes-group-version-kind'];
  if (!gvks || gvks.length === 0) return undefined;
  const kinds = new Set(gvks.map((g) => g.kind));
  const out: { apiVersion?: string; kind?: string } = {};
  if (kinds.size === 1) out.kind = stringLiteral(gvks[0]!.kind);
  if (gvks.length === 1) out.apiVersion = stringLiteral(apiVersionString(gvks[0]!));
  return out;
}

/**
 * Types that the schema cannot express: Go types with custom JSON marshalling whose OpenAPI
 * schema is empty or wider than what the server emits. Keys are schema names, values TypeScript
 * type text in the schema's own module.
 */
export const TYPE_OVERRIDES: Readonly<Record<string, string>> = {
  // Accepted as a number on input but always serialized as a string ("500m", "1Gi").
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'string',
  // apiextensions' "X or Y" unions have an empty schema.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': 'JSONSchemaProps | JSONSchemaProps[]',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': 'JSONSchemaProps | boolean',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': 'JSONSchemaProps | string[]',
};

/** One `export type NAME = …;` declaration with its doc comment. */
export function renderDeclaration(
  fullName: string,
  schema: JsonSchema,
  resolve: RefResolver,
  overrides: Readonly<Record<string, string>> = TYPE_OVERRIDES,
): string {
  const { name } = typeNameOf(fullName);
  const doc = docComment(schema.description);
  let body = overrides[fullName];
  if (body === undefined) {
    const hasShape = Object.keys(schema.properties ?? {}).length > 0 && !schema.$ref && !schema.allOf && !schema.oneOf && !schema.anyOf;
    if (hasShape && (schema.type === 'object' || schema.type === undefined)) {
      const lines = propertyLines(schema, resolve, '  ', kindLiterals(schema));
      const extra = schema.additionalProperties;
      if ((extra !== undefined && extra !== false) || schema['x-kubernetes-preserve-unknown-fields']) lines.push('  [key: string]: unknown;');
      body = `{\n${lines.join('\n')}\n}`;
    } else {
      body = toTsType(schema, resolve);
    }
  }
  return [...doc, `export type ${name} = ${body};`].join('\n');
}

/** Tracks the `import type` lines of one module, aliasing names that clash. */
class ModuleImports {
  private readonly byModule = new Map<string, Map<string, string>>();
  private readonly taken: Set<string>;

  constructor(
    private readonly module: string,
    localNames: Iterable<string>,
  ) {
    this.taken = new Set(localNames);
  }

  /** The identifier for `name` exported by `module`, importing it on first use. */
  use(target: TypeName): string {
    if (target.module === this.module) return target.name;
    let names = this.byModule.get(target.module);
    if (!names) {
      names = new Map();
      this.byModule.set(target.module, names);
    }
    const known = names.get(target.name);
    if (known) return known;
    let local = target.name;
    if (this.taken.has(local)) local = `${pascalOf(target.module)}${target.name}`;
    if (this.taken.has(local)) throw new Error(`cannot alias ${target.module}.${target.name} in ${this.module}`);
    this.taken.add(local);
    names.set(target.name, local);
    return local;
  }

  lines(): string[] {
    return [...this.byModule.keys()].sort().map((mod) => {
      const names = [...this.byModule.get(mod)!.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, local]) => (name === local ? name : `${name} as ${local}`));
      return `import type { ${names.join(', ')} } from '${importPath(this.module, mod)}';`;
    });
  }
}

/** Compares by UTF-16 code units, so output order does not depend on the locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every module's source text, keyed by module path (`core/v1`), from the merged schema table.
 * `header` lines go first, as `//` comments.
 */
export function renderModules(
  schemas: Readonly<Record<string, JsonSchema>>,
  header: string[],
  overrides: Readonly<Record<string, string>> = TYPE_OVERRIDES,
): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const fullName of Object.keys(schemas).sort(byCodeUnit)) {
    const { module } = typeNameOf(fullName);
    const list = groups.get(module) ?? [];
    list.push(fullName);
    groups.set(module, list);
  }
  const out = new Map<string, string>();
  for (const [module, fullNames] of [...groups.entries()].sort(([a], [b]) => byCodeUnit(a, b))) {
    const names = fullNames.map((f) => typeNameOf(f).name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`two schemas named ${dup} in module ${module}`);
    const imports = new ModuleImports(module, names);
    const resolve: RefResolver = (target) => {
      if (!(target in schemas)) throw new Error(`dangling $ref to ${target}`);
      return imports.use(typeNameOf(target));
    };
    const decls = fullNames.map((f) => renderDeclaration(f, schemas[f]!, resolve, overrides));
    const importLines = imports.lines();
    const parts = [header.map((h) => `// ${h}`).join('\n')];
    if (importLines.length > 0) parts.push(importLines.join('\n'));
    parts.push(...decls);
    out.set(module, `${parts.join('\n\n')}\n`);
  }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Resources (discovery)                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** A served resource as discovery (`/api/v1`, `/apis/GROUP/VERSION`) describes it. */
export interface DiscoveredResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** True when `version` is the group's preferred version. */
  preferred: boolean;
}

/** Words of a kind: `CSIStorageCapacity` → `CSI`, `Storage`, `Capacity`. */
export function kindWords(kind: string): string[] {
  return kind.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? [kind];
}

/**
 * camelCase of a (lower-case) plural, taking word boundaries from the kind where the plural
 * spells the kind: (`NetworkPolicy`, `networkpolicies`) → `networkPolicies`,
 * (`CSIDriver`, `csidrivers`) → `csiDrivers`.
 */
export function camelPlural(kind: string, plural: string): string {
  const lowerKind = kind.toLowerCase();
  let common = 0;
  while (common < plural.length && plural[common] === lowerKind[common]) common++;
  const boundaries = new Set<number>();
  let pos = 0;
  for (const word of kindWords(kind)) {
    if (pos > 0) boundaries.add(pos);
    pos += word.length;
  }
  let out = '';
  for (let i = 0; i < plural.length; i++) {
    const ch = plural[i]!;
    out += i > 0 && i < common && boundaries.has(i) ? ch.toUpperCase() : ch;
  }
  return out.replace(/[^A-Za-z0-9_$]/g, '_');
}

/**
 * The const name of every resource (same order as the input). Rules:
 * 1. camelCase of the plural (`pods`, `deployments`, `customResourceDefinitions`);
 * 2. when several groups serve the same plural, the core group keeps the bare name and every
 *    other group gets its name appended in PascalCase (`events` for core,
 *    `eventsEventsK8sIo` for events.k8s.io); with no core group among them all get it;
 * 3. versions other than the group's preferred one get the version appended
 *    (`horizontalPodAutoscalersV1` next to the preferred autoscaling/v2 `horizontalPodAutoscalers`).
 */
export function resourceConstNames(resources: readonly DiscoveredResource[]): string[] {
  const groupsByPlural = new Map<string, Set<string>>();
  for (const r of resources) {
    const set = groupsByPlural.get(r.plural) ?? new Set<string>();
    set.add(r.group);
    groupsByPlural.set(r.plural, set);
  }
  const names = resources.map((r) => {
    let name = camelPlural(r.kind, r.plural);
    const groups = groupsByPlural.get(r.plural)!;
    if (groups.size > 1 && r.group !== '') name += pascalOf(r.group);
    if (!r.preferred) name += pascalOf(r.version);
    return name;
  });
  const seen = new Map<string, DiscoveredResource>();
  names.forEach((n, i) => {
    const other = seen.get(n);
    const r = resources[i]!;
    if (other) throw new Error(`resource name ${n} used by ${other.plural}.${other.group}/${other.version} and ${r.plural}.${r.group}/${r.version}`);
    seen.set(n, r);
  });
  return names;
}

function stringArray(values: readonly string[]): string {
  return `[${values.map(stringLiteral).join(', ')}]`;
}

/**
 * `resources.ts`: one `ApiResource<K>` const per resource plus `builtinResources`, the list of
 * them all. `typeOf` gives the object type for a resource (`corev1.Pod`), or undefined when the
 * OpenAPI document has no schema for its kind (it is then typed with the default `KubeObject`).
 */
export function renderResources(
  resources: readonly DiscoveredResource[],
  typeOf: (r: DiscoveredResource) => TypeName | undefined,
  header: string[],
  apiResourceModule = '../api/resource.js',
): string {
  const names = resourceConstNames(resources);
  const modules = new Set<string>();
  const consts: string[] = [];
  resources.forEach((r, i) => {
    const t = typeOf(r);
    if (t) modules.add(t.module);
    const typeArg = t ? `<${namespaceOf(t.module)}.${t.name}>` : '';
    consts.push(
      [
        `export const ${names[i]}: ApiResource${typeArg} = {`,
        `  group: ${stringLiteral(r.group)}, version: ${stringLiteral(r.version)}, kind: ${stringLiteral(r.kind)}, plural: ${stringLiteral(r.plural)}, singular: ${stringLiteral(r.singular)},`,
        `  namespaced: ${r.namespaced}, shortNames: ${stringArray(r.shortNames)}, categories: ${stringArray(r.categories)},`,
        `  verbs: ${stringArray(r.verbs)},`,
        '};',
      ].join('\n'),
    );
  });
  const imports = [
    `import type { ApiResource } from '${apiResourceModule}';`,
    ...[...modules].sort(byCodeUnit).map((m) => `import type * as ${namespaceOf(m)} from '${importPath('resources', m)}';`),
  ];
  const list = [
    '/** Every built-in resource above, preferred versions first, in discovery order. */',
    'export const builtinResources: readonly ApiResource[] = [',
    ...names.map((n) => `  ${n},`),
    '];',
  ].join('\n');
  return `${[header.map((h) => `// ${h}`).join('\n'), imports.join('\n'), ...consts, list].join('\n\n')}\n`;
}

/**
 * `kinds.ts`: `BuiltinKinds`, a map from `apiVersion/kind` (`apps/v1/Deployment`) to the object
 * type, for every schema with exactly one group-version-kind in a served group-version.
 */
export function renderKinds(entries: readonly { key: string; type: TypeName }[], header: string[]): string {
  const modules = [...new Set(entries.map((e) => e.type.module))].sort(byCodeUnit);
  const lines = [
    header.map((h) => `// ${h}`).join('\n'),
    modules.map((m) => `import type * as ${namespaceOf(m)} from '${importPath('kinds', m)}';`).join('\n'),
    [
      '/** Object type of every built-in kind, keyed by `apiVersion/kind` (`v1/Pod`, `apps/v1/Deployment`). */',
      'export type BuiltinKinds = {',
      ...[...entries]
        .sort((a, b) => byCodeUnit(a.key, b.key))
        .map((e) => `  ${stringLiteral(e.key)}: ${namespaceOf(e.type.module)}.${e.type.name};`),
      '};',
    ].join('\n'),
  ];
  return `${lines.join('\n\n')}\n`;
}

/**
 * `index.ts`: every module as a type-only namespace (`corev1`, `appsv1`, `metav1`, `intstr`…),
 * the resource table, and the `flat` names re-exported directly.
 */
export function renderIndex(
  modules: readonly string[],
  flat: readonly TypeName[],
  header: string[],
  extra: readonly string[] = ["export * from './resources.js';", "export type * from './kinds.js';"],
): string {
  const namespaces = [...modules]
    .sort((a, b) => byCodeUnit(namespaceOf(a), namespaceOf(b)))
    .map((m) => `export type * as ${namespaceOf(m)} from '${importPath('index', m)}';`);
  const seen = new Set<string>();
  for (const t of flat) {
    if (seen.has(t.name)) throw new Error(`flat re-export ${t.name} is ambiguous`);
    seen.add(t.name);
  }
  const byModule = new Map<string, string[]>();
  for (const t of flat) byModule.set(t.module, [...(byModule.get(t.module) ?? []), t.name]);
  const flatLines = [...byModule.entries()]
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([m, names]) => `export type { ${[...names].sort(byCodeUnit).join(', ')} } from '${importPath('index', m)}';`);
  return `${[header.map((h) => `// ${h}`).join('\n'), namespaces.join('\n'), extra.join('\n'), flatLines.join('\n')].join('\n\n')}\n`;
}
