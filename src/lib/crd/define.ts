import { Api } from '../api/api.js';
import { apiVersionOf, type ApiResource, type KubeObject, type ObjectMeta } from '../api/resource.js';
import type { Client } from '../client.js';
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  JSONSchemaProps,
} from '../types/apiextensions/v1.js';
import { ruleProblems, schemaAt, structuralProblems, type FromSchema, type JsonSchema, type ValidationRule } from './schema.js';

/** Whether objects of the kind live in a namespace (`Namespaced`) or not (`Cluster`). */
export type CustomResourceScope = 'Namespaced' | 'Cluster';

/**
 * The schemas of a version's `spec` and (optional) `status`. They become the `spec` and `status`
 * properties of the version's `openAPIV3Schema`; `spec` is required. Giving a `status` schema
 * also turns on the `status` subresource: writes to the main resource then ignore `status`,
 * and `PUT`/`PATCH …/status` (Api.replaceStatus / Api.patchStatus) ignore everything else.
 */
export interface CustomResourceSchema {
  readonly spec: JsonSchema;
  readonly status?: JsonSchema;
}

/**
 * An additional column in the server-side Table output (`kubectl get`). `jsonPath` is evaluated
 * against each object (e.g. `.spec.replicas`); columns with `priority` > 0 only show with `-o wide`.
 * When a version declares columns, the server shows NAME plus exactly these (add an
 * `.metadata.creationTimestamp` `date` column for AGE).
 */
export interface PrinterColumn {
  /** The header (kubectl prints it upper-cased). */
  readonly name: string;
  readonly type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly format?: 'int32' | 'int64' | 'float' | 'double' | 'byte' | 'date' | 'date-time' | 'password';
  readonly priority?: number;
}

/**
 * The `scale` subresource, which serves an autoscaling/v1 Scale (for `kubectl scale`, the
 * HorizontalPodAutoscaler and Api.getScale / Api.scale). Paths are simple JSON paths without
 * array notation: `specReplicasPath` under `.spec`, `statusReplicasPath` under `.status`, and
 * `labelSelectorPath` (a string field holding a serialized label selector, needed by the HPA)
 * under `.spec` or `.status`.
 */
export interface ScaleSubresource {
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  readonly labelSelectorPath?: string;
}

/** What one served version of a custom resource defines besides its schema. */
export interface VersionOptions {
  /** Whether the version is served over REST (default true). */
  readonly served?: boolean;
  /**
   * Whether objects are persisted in this version. Exactly one version of a CRD is the storage
   * version; by default it is the main version unless an additional version claims it.
   */
  readonly storage?: boolean;
  /** Requests to a deprecated version get a `Warning` header (`deprecationWarning`, or the server's default text). */
  readonly deprecated?: boolean;
  /** The warning text for a deprecated version (at most 256 characters). */
  readonly deprecationWarning?: string;
  readonly printerColumns?: readonly PrinterColumn[];
  readonly scale?: ScaleSubresource;
  /** CEL rules on the whole object (`self` is the object: `self.spec.replicas <= 10`). */
  readonly validations?: readonly ValidationRule[];
  /**
   * Fields usable in field selectors (Kubernetes ≥ 1.30, at most 8), as JSON paths such as
   * `.spec.name`; they must name string, integer or boolean fields outside `.metadata`. The
   * selector then reads `spec.name=value`.
   */
  readonly selectableFields?: readonly string[];
}

/**
 * Another version of the same kind, served next to the main one. Without a `schema` it is a copy
 * of the main version (schema, status subresource, printer columns, scale subresource, CEL rules
 * and selectable fields), each part replaceable; with its own `schema` it starts from nothing.
 * Conversion between versions is `None` (the server only rewrites `apiVersion`), so versions
 * that differ in shape need a conversion webhook set on the manifest.
 */
export interface AdditionalVersion extends VersionOptions {
  readonly name: string;
  readonly schema?: CustomResourceSchema;
}

/** Everything {@link defineCustomResource} needs to produce a CustomResourceDefinition. */
export interface CustomResourceOptions extends VersionOptions {
  /** The API group, a DNS subdomain with at least one dot (`example.com`). */
  readonly group: string;
  /** The main version (`v1`, `v1beta1`): the one `resource`, `api()` and `new()` use. */
  readonly version: string;
  /** The kind, CamelCase and singular (`Greeting`). */
  readonly kind: string;
  readonly scope: CustomResourceScope;
  /** The plural resource name used in URLs; defaults to the lower-cased kind with an English plural ending. */
  readonly plural?: string;
  /** Defaults to the lower-cased kind. */
  readonly singular?: string;
  /** Short names for `kubectl get <short>`; lower-case. */
  readonly shortNames?: readonly string[];
  /** Categories such as `all`, so `kubectl get <category>` includes the kind. */
  readonly categories?: readonly string[];
  /** The description of the object schema (`kubectl explain <kind>`). */
  readonly description?: string;
  readonly schema: CustomResourceSchema;
  readonly versions?: readonly AdditionalVersion[];
  /** Labels and annotations of the CustomResourceDefinition object itself. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A custom resource object as the server stores and returns it: TypeMeta, ObjectMeta, the
 * `spec` and, when the kind has a status schema, an optional `status` (written through the
 * status subresource). Fields outside the schema are pruned by the server.
 */
export interface CustomObject<Spec = unknown, Status = never> extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

/** The object type of a {@link CustomResource}: `type Greeting = ObjectOf<typeof Greeting>`. */
export type ObjectOf<C> = C extends CustomResource<infer Spec, infer Status> ? CustomObject<Spec, Status> : never;

/** The spec type of a {@link CustomResource}. */
export type SpecOf<C> = C extends CustomResource<infer Spec, infer _Status> ? Spec : never;

/** The status type of a {@link CustomResource} (`never` when it has no status schema). */
export type StatusOf<C> = C extends CustomResource<infer _Spec, infer Status> ? Status : never;

type SpecFrom<O extends CustomResourceOptions> = FromSchema<O['schema']['spec']>;
type StatusFrom<O extends CustomResourceOptions> = O['schema'] extends { readonly status: infer S } ? FromSchema<S> : never;

/** Metadata {@link CustomResource.new} may set besides the name. */
export interface NewObjectOptions {
  /** For namespaced kinds; when omitted, `Api.create` uses the Api's namespace. */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The verbs the apiserver serves on every custom resource. */
const CUSTOM_RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * A custom resource kind: its CustomResourceDefinition manifest, and typed access to its objects
 * in the main version. Build one with {@link defineCustomResource}, or wrap an existing CRD
 * manifest with `new CustomResource<Spec, Status>(crd, version?)` (unchecked types).
 */
export class CustomResource<Spec = unknown, Status = never> {
  /** The group, version, plural, kind and scope of the main version, for `Api<K>`. */
  readonly resource: ApiResource<CustomObject<Spec, Status>>;
  /** The CRD's name, `<plural>.<group>`. */
  readonly name: string;
  private readonly manifest: CustomResourceDefinition;

  /** Wraps a CRD manifest; `version` defaults to its storage version. */
  constructor(crd: CustomResourceDefinition, version?: string) {
    this.manifest = structuredClone(crd);
    const { group, names, scope, versions } = this.manifest.spec;
    const chosen = version ?? versions.find((v) => v.storage)?.name;
    if (!chosen || !versions.some((v) => v.name === chosen)) {
      throw new TypeError(`customresourcedefinition ${names.plural}.${group} has no version ${JSON.stringify(chosen ?? '')}`);
    }
    this.name = `${names.plural}.${group}`;
    this.resource = {
      group,
      version: chosen,
      kind: names.kind,
      plural: names.plural,
      namespaced: scope === 'Namespaced',
      singular: names.singular ?? names.kind.toLowerCase(),
      shortNames: [...(names.shortNames ?? [])],
      categories: [...(names.categories ?? [])],
      verbs: [...CUSTOM_RESOURCE_VERBS],
    };
  }

  /**
   * The `apiextensions.k8s.io/v1` CustomResourceDefinition as plain JSON, ready to apply (a fresh
   * copy on every read).
   */
  get crd(): CustomResourceDefinition {
    return structuredClone(this.manifest);
  }

  /** `apiVersion` of the main version's objects: `<group>/<version>`. */
  get apiVersion(): string {
    return apiVersionOf(this.resource);
  }

  /**
   * An `Api` for the kind's objects. Namespaced kinds use `namespace`, else the client's default
   * namespace; cluster-scoped kinds take no namespace.
   */
  api(client: Client, namespace?: string): Api<CustomObject<Spec, Status>> {
    if (this.resource.namespaced) return Api.namespaced(client, this.resource, namespace);
    if (namespace !== undefined) throw new TypeError(`${this.resource.kind} is cluster-scoped and takes no namespace`);
    return Api.cluster(client, this.resource);
  }

  /** An `Api` across all namespaces (list and watch), or the cluster-scoped collection. */
  allNamespaces(client: Client): Api<CustomObject<Spec, Status>> {
    return Api.all(client, this.resource);
  }

  /** A new object of the kind with `apiVersion`, `kind`, `metadata.name` and `spec` set, for `create` or `apply`. */
  new(name: string, spec: Spec, options: NewObjectOptions = {}): CustomObject<Spec, Status> {
    if (options.namespace !== undefined && !this.resource.namespaced) {
      throw new TypeError(`${this.resource.kind} is cluster-scoped and takes no namespace`);
    }
    const metadata: ObjectMeta = { name };
    if (options.namespace !== undefined) metadata.namespace = options.namespace;
    if (options.labels) metadata.labels = { ...options.labels };
    if (options.annotations) metadata.annotations = { ...options.annotations };
    return { apiVersion: this.apiVersion, kind: this.resource.kind, metadata, spec };
  }
}

/**
 * Defines a custom resource kind from plain structural JSON Schemas, the TypeScript analogue of
 * kube-rs's `#[derive(CustomResource)]`: the result carries the complete
 * `apiextensions.k8s.io/v1` CustomResourceDefinition (`.crd`), an `ApiResource` (`.resource`),
 * a typed `Api` (`.api(client, ns)`) and a constructor for objects (`.new(name, spec)`), with
 * the spec and status types inferred from the schemas (see `FromSchema`).
 *
 * The definition is checked eagerly, as the apiserver would check the CRD (names, exactly one
 * storage version, structural schemas, printer columns, scale paths, CEL rule shapes,
 * selectable fields); any problem throws a `TypeError` listing every reason. CEL expressions
 * themselves are compiled only by the server.
 */
export function defineCustomResource<const O extends CustomResourceOptions>(options: O): CustomResource<SpecFrom<O>, StatusFrom<O>> {
  const problems = definitionProblems(options);
  if (problems.length) {
    const what = typeof options?.kind === 'string' && options.kind ? options.kind : 'custom resource';
    throw new TypeError(`invalid definition of ${what}: ${problems.join('; ')}`);
  }
  return new CustomResource<SpecFrom<O>, StatusFrom<O>>(buildManifest(options), options.version);
}

// ---------------------------------------------------------------------------------------------
// Names

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isDns1035Label(s: string): boolean {
  return s.length <= 63 && DNS1035_LABEL.test(s);
}

function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && s.split('.').every((label) => label.length <= 63 && DNS1123_LABEL.test(label));
}

/** The lower-cased kind with a regular English plural ending; irregular nouns need `plural`. */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function namesOf(o: CustomResourceOptions): { plural: string; singular: string } {
  return { plural: o.plural ?? pluralOf(o.kind), singular: o.singular ?? o.kind.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// Checks

const COLUMN_TYPES: ReadonlySet<string> = new Set(['integer', 'number', 'string', 'boolean', 'date']);
const COLUMN_FORMATS: ReadonlySet<string> = new Set(['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password']);

const hasControlCharacters = (s: string): boolean => [...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** A version with every default of the main definition filled in. */
interface ResolvedVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  deprecationWarning: string | undefined;
  schema: CustomResourceSchema;
  printerColumns: readonly PrinterColumn[];
  scale: ScaleSubresource | undefined;
  validations: readonly ValidationRule[];
  selectableFields: readonly string[];
}

function resolveVersions(o: CustomResourceOptions): ResolvedVersion[] {
  const extra = o.versions ?? [];
  const someExtraStores = extra.some((v) => v.storage === true);
  const main: ResolvedVersion = {
    name: o.version,
    served: o.served ?? true,
    storage: o.storage ?? !someExtraStores,
    deprecated: o.deprecated ?? false,
    deprecationWarning: o.deprecationWarning,
    schema: o.schema,
    printerColumns: o.printerColumns ?? [],
    scale: o.scale,
    validations: o.validations ?? [],
    selectableFields: o.selectableFields ?? [],
  };
  return [
    main,
    ...extra.map((v) => {
      // A version with its own schema is a different shape: the main version's paths and rules may not fit it.
      const base = v.schema ? undefined : main;
      return {
        name: v.name,
        served: v.served ?? true,
        storage: v.storage ?? false,
        deprecated: v.deprecated ?? false,
        deprecationWarning: v.deprecationWarning,
        schema: v.schema ?? main.schema,
        printerColumns: v.printerColumns ?? base?.printerColumns ?? [],
        scale: v.scale ?? base?.scale,
        validations: v.validations ?? base?.validations ?? [],
        selectableFields: v.selectableFields ?? base?.selectableFields ?? [],
      };
    }),
  ];
}

function definitionProblems(o: CustomResourceOptions): string[] {
  if (typeof o !== 'object' || o === null) return ['the definition must be an object'];
  const out: string[] = [];
  if (!nonEmpty(o.group)) out.push('group is required');
  else if (!isDnsSubdomain(o.group) || !o.group.includes('.')) out.push(`group ${JSON.stringify(o.group)} must be a DNS subdomain with at least one dot (e.g. example.com)`);
  if (!nonEmpty(o.version)) out.push('version is required');
  if (!nonEmpty(o.kind)) out.push('kind is required');
  else if (!isDns1035Label(o.kind.toLowerCase())) out.push(`kind ${JSON.stringify(o.kind)} must start with a letter and contain only letters, digits and '-'`);
  if (o.scope !== 'Namespaced' && o.scope !== 'Cluster') out.push(`scope must be Namespaced or Cluster, not ${JSON.stringify(o.scope)}`);
  if (!nonEmpty(o.kind)) return out.concat(schemaProblems(o.schema, 'schema'));

  const { plural, singular } = namesOf(o);
  if (!isDns1035Label(plural)) out.push(`plural ${JSON.stringify(plural)} must be a lower-case DNS label`);
  if (!isDns1035Label(singular)) out.push(`singular ${JSON.stringify(singular)} must be a lower-case DNS label`);
  (o.shortNames ?? []).forEach((s, i) => isDns1035Label(s) || out.push(`shortNames[${i}] ${JSON.stringify(s)} must be a lower-case DNS label`));
  (o.categories ?? []).forEach((s, i) => isDns1035Label(s) || out.push(`categories[${i}] ${JSON.stringify(s)} must be a lower-case DNS label`));
  if (nonEmpty(o.group) && `${plural}.${o.group}`.length > 253) out.push(`the CRD name ${plural}.${o.group} is longer than 253 characters`);
  if (o.description !== undefined && typeof o.description !== 'string') out.push('description must be a string');

  const versions = resolveVersions(o);
  const [main] = versions;
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = i === 0 ? '' : `versions[${i - 1}].`;
    if (!nonEmpty(v.name)) {
      if (i > 0) out.push(`versions[${i - 1}].name is required`);
    } else {
      if (!isDns1035Label(v.name)) out.push(`${at}version ${JSON.stringify(v.name)} must be a lower-case DNS label such as v1 or v2beta1`);
      if (seen.has(v.name)) out.push(`version ${JSON.stringify(v.name)} is defined more than once`);
      seen.add(v.name);
    }
    out.push(...versionProblems(v, at, i === 0 ? undefined : main));
  });
  const storage = versions.filter((v) => v.storage).map((v) => v.name);
  if (storage.length !== 1) {
    out.push(storage.length ? `exactly one version must be the storage version, not ${storage.join(', ')}` : 'exactly one version must be the storage version, and none is');
  }
  return out;
}

function schemaProblems(schema: CustomResourceSchema | undefined, path: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [`${path} with a spec schema is required`];
  const out: string[] = [];
  for (const part of ['spec', 'status'] as const) {
    const s = schema[part];
    if (s === undefined) {
      if (part === 'spec') out.push(`${path}.spec is required`);
      continue;
    }
    if (typeof s === 'object' && s !== null && s.type !== 'object') out.push(`${path}.${part}.type: must be object`);
    out.push(...structuralProblems(s, `${path}.${part}`));
  }
  for (const key of Object.keys(schema)) if (key !== 'spec' && key !== 'status') out.push(`${path}.${key}: only spec and status schemas are allowed`);
  return out;
}

/** Problems of one version; parts an additional version shares with `main` were checked with it. */
function versionProblems(v: ResolvedVersion, at: string, main: ResolvedVersion | undefined): string[] {
  const out: string[] = [];
  const own = <T>(part: T, mainPart: T | undefined): boolean => main === undefined || part !== mainPart;
  const badSchema = schemaProblems(v.schema, `${at}schema`);
  if (own(v.schema, main?.schema)) out.push(...badSchema);
  if (v.deprecationWarning !== undefined) {
    if (!v.deprecated) out.push(`${at}deprecationWarning may only be set when deprecated is true`);
    else if (typeof v.deprecationWarning !== 'string' || v.deprecationWarning.length > 256 || hasControlCharacters(v.deprecationWarning)) {
      out.push(`${at}deprecationWarning must be at most 256 printable characters`);
    }
  }
  if (own(v.printerColumns, main?.printerColumns)) out.push(...columnProblems(v.printerColumns, at));
  if (own(v.validations, main?.validations)) out.push(...ruleProblems(v.validations, `${at}validations`));
  // Paths into a broken schema would only repeat its problems.
  if (badSchema.length) return out;
  const whole = objectSchema(v.schema);
  if (v.scale && own(v.scale, main?.scale)) {
    const s = v.scale;
    out.push(...fieldPathProblems(whole, s.specReplicasPath, `${at}scale.specReplicasPath`, ['.spec.'], ['integer']));
    out.push(...fieldPathProblems(whole, s.statusReplicasPath, `${at}scale.statusReplicasPath`, ['.status.'], ['integer']));
    if (s.labelSelectorPath !== undefined) {
      out.push(...fieldPathProblems(whole, s.labelSelectorPath, `${at}scale.labelSelectorPath`, ['.spec.', '.status.'], ['string']));
    }
  }

  if (own(v.selectableFields, main?.selectableFields)) out.push(...selectableFieldProblems(v.selectableFields, whole, at));
  return out;
}

function columnProblems(columns: readonly PrinterColumn[], at: string): string[] {
  const out: string[] = [];
  columns.forEach((c, i) => {
    const p = `${at}printerColumns[${i}]`;
    if (!nonEmpty(c.name)) out.push(`${p}.name is required`);
    if (!COLUMN_TYPES.has(c.type)) out.push(`${p}.type must be one of ${[...COLUMN_TYPES].join(', ')}`);
    if (c.format !== undefined && !COLUMN_FORMATS.has(c.format)) out.push(`${p}.format must be one of ${[...COLUMN_FORMATS].join(', ')}`);
    if (!nonEmpty(c.jsonPath)) out.push(`${p}.jsonPath is required`);
    else if (!c.jsonPath.startsWith('.')) out.push(`${p}.jsonPath ${JSON.stringify(c.jsonPath)} must be a JSON path starting with "."`);
    if (c.priority !== undefined && (!Number.isInteger(c.priority) || c.priority < 0)) out.push(`${p}.priority must be a non-negative integer`);
  });
  return out;
}

function selectableFieldProblems(selectableFields: readonly string[], whole: JsonSchema, at: string): string[] {
  const out: string[] = [];
  if (selectableFields.length > 8) out.push(`${at}selectableFields: at most 8 are allowed`);
  const fields = new Set<string>();
  selectableFields.forEach((f, i) => {
    const p = `${at}selectableFields[${i}]`;
    if (fields.has(f)) out.push(`${p} ${JSON.stringify(f)} is listed twice`);
    fields.add(f);
    if (typeof f === 'string' && (f === '.metadata' || f.startsWith('.metadata.'))) out.push(`${p} must not be a metadata field`);
    else out.push(...fieldPathProblems(whole, f, p, ['.'], ['string', 'integer', 'boolean'], true));
  });
  return out;
}

/** A simple JSON path (`.spec.replicas`) that must start with one of `prefixes` and name a field of one of `types`. */
function fieldPathProblems(whole: JsonSchema, path: unknown, at: string, prefixes: string[], types: string[], closed = false): string[] {
  if (!nonEmpty(path)) return [`${at} is required`];
  if (!prefixes.some((p) => path.startsWith(p)) || path.endsWith('.') || path.includes('..')) {
    return [`${at} ${JSON.stringify(path)} must be a JSON path under ${prefixes.join(' or ')}`];
  }
  if (/[[\]]/.test(path)) return [`${at} ${JSON.stringify(path)} must not use array notation`];
  const node = schemaAt(whole, path);
  if (node === 'open') return closed ? [`${at} ${JSON.stringify(path)} must name a field the schema types, not one under a map or preserved unknown fields`] : [];
  if (!node) return [`${at} ${JSON.stringify(path)} names no field of the schema`];
  const type = node['x-kubernetes-int-or-string'] ? 'int-or-string' : (node.type ?? 'untyped');
  return types.includes(type) ? [] : [`${at} ${JSON.stringify(path)} must name a field of type ${types.join(' or ')}, not ${type}`];
}

// ---------------------------------------------------------------------------------------------
// Manifest

/** The schema of the whole object as the version's `openAPIV3Schema` (without the top-level rules). */
function objectSchema(schema: CustomResourceSchema, description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description !== undefined ? { description } : {}),
    properties: { spec: schema.spec, ...(schema.status !== undefined ? { status: schema.status } : {}) },
    required: ['spec'],
  };
}

function buildManifest(o: CustomResourceOptions): CustomResourceDefinition {
  const { plural, singular } = namesOf(o);
  const versions = resolveVersions(o).map((v): CustomResourceDefinitionVersion => {
    const root: JsonSchema = {
      ...objectSchema(v.schema, o.description),
      ...(v.validations.length ? { 'x-kubernetes-validations': v.validations } : {}),
    };
    const subresources = {
      ...(v.schema.status !== undefined ? { status: {} } : {}),
      ...(v.scale ? { scale: { ...v.scale } } : {}),
    };
    return {
      name: v.name,
      served: v.served,
      storage: v.storage,
      ...(v.deprecated ? { deprecated: true } : {}),
      ...(v.deprecated && v.deprecationWarning !== undefined ? { deprecationWarning: v.deprecationWarning } : {}),
      // JsonSchema is JSONSchemaProps with readonly arrays and narrower literals; the clone drops
      // any sharing with the caller's objects.
      schema: { openAPIV3Schema: structuredClone(root) as JSONSchemaProps },
      ...(Object.keys(subresources).length ? { subresources } : {}),
      ...(v.printerColumns.length ? { additionalPrinterColumns: v.printerColumns.map((c): CustomResourceColumnDefinition => ({ ...c })) } : {}),
      ...(v.selectableFields.length ? { selectableFields: v.selectableFields.map((jsonPath) => ({ jsonPath })) } : {}),
    };
  });
  const metadata: CustomResourceDefinition['metadata'] = { name: `${plural}.${o.group}` };
  if (o.labels) metadata.labels = { ...o.labels };
  if (o.annotations) metadata.annotations = { ...o.annotations };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: o.group,
      names: {
        kind: o.kind,
        plural,
        singular,
        ...(o.shortNames?.length ? { shortNames: [...o.shortNames] } : {}),
        ...(o.categories?.length ? { categories: [...o.categories] } : {}),
      },
      scope: o.scope,
      versions,
    },
  };
}
