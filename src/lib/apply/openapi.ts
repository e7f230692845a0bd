import type { Client } from '../client.js';
import { StrategicMergePatchError, type PatchMeta, type PatchSchema } from './strategic-merge-patch.js';

/** The parts of an OpenAPI v3 schema object that patching reads. */
export interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  allOf?: OpenApiSchema[];
  $ref?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

/** One group-version's OpenAPI v3 document (`/openapi/v3/apis/<group>/<version>`), abridged. */
export interface OpenApiDocument {
  paths?: Record<string, { patch?: Operation }>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

const SMP = 'application/strategic-merge-patch+json';

/**
 * Patch metadata for one object schema, resolved through `allOf` and `$ref` as kubectl's
 * PatchMetaFromOpenAPIV3 does. Beyond kubectl's v3 reader it also steps into map values
 * (`additionalProperties`), which is where kubectl falls back to OpenAPI v2 and gets the same
 * answer. Schemas without properties (free-form objects) are schemaless below that point.
 *
 * Only `x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key` steer the patch:
 * `x-kubernetes-list-type` / `list-map-keys` describe server-side apply's view of a list, and the
 * apiserver applies strategic merge patches by the patch tags alone, so using them here would
 * send patches the server reads differently. They are exposed through {@link listSemantics}.
 */
export class OpenApiPatchSchema implements PatchSchema {
  constructor(
    private readonly schema: OpenApiSchema | undefined,
    private readonly schemas: Record<string, OpenApiSchema>,
  ) {}

  private resolve(s: OpenApiSchema | undefined): OpenApiSchema | undefined {
    let cur = s;
    for (let depth = 0; cur && depth < 10; depth++) {
      if (cur.allOf && cur.allOf.length > 0) {
        cur = cur.allOf[0];
        continue;
      }
      if (cur.$ref) {
        const name = cur.$ref.replace(/^#\/components\/schemas\//, '');
        const target = this.schemas[name];
        if (!target) throw new StrategicMergePatchError(`unable to resolve ${cur.$ref} in OpenAPI V3`);
        cur = target;
        continue;
      }
      break;
    }
    return cur;
  }

  private field(key: string): { raw: OpenApiSchema | undefined; meta: PatchMeta } {
    const s = this.resolve(this.schema);
    if (!s) return { raw: undefined, meta: { strategies: [], mergeKey: '' } };
    let raw: OpenApiSchema | undefined;
    if (s.properties && Object.keys(s.properties).length > 0) {
      raw = s.properties[key];
      if (!raw) throw new StrategicMergePatchError(`unable to find api field "${key}"`);
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      raw = s.additionalProperties;
    } else {
      return { raw: undefined, meta: { strategies: [], mergeKey: '' } };
    }
    const strategy = raw['x-kubernetes-patch-strategy'];
    return { raw, meta: { strategies: strategy ? strategy.split(',') : [], mergeKey: raw['x-kubernetes-patch-merge-key'] ?? '' } };
  }

  lookupForStruct(key: string): { schema: PatchSchema; meta: PatchMeta } {
    const { raw, meta } = this.field(key);
    return { schema: new OpenApiPatchSchema(raw && this.resolve(raw), this.schemas), meta };
  }

  lookupForSlice(key: string): { schema: PatchSchema; meta: PatchMeta } {
    const { raw, meta } = this.field(key);
    const list = raw && this.resolve(raw);
    return { schema: new OpenApiPatchSchema(list?.items && this.resolve(list.items), this.schemas), meta };
  }

  /** A list field's server-side-apply semantics (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`). */
  listSemantics(key: string): { listType?: string; mapKeys?: string[] } {
    const { raw } = this.field(key);
    return {
      ...(raw?.['x-kubernetes-list-type'] ? { listType: raw['x-kubernetes-list-type'] } : {}),
      ...(raw?.['x-kubernetes-list-map-keys'] ? { mapKeys: raw['x-kubernetes-list-map-keys'] } : {}),
    };
  }
}

const sameGvk = (a: GroupVersionKind, b: GroupVersionKind) => a.group === b.group && a.version === b.version && a.kind === b.kind;

/** How client-side apply patches objects of one kind. */
export type PatchStrategy = { type: 'strategic'; schema: PatchSchema } | { type: 'merge' };

/**
 * The server's OpenAPI v3 documents, fetched once per group-version and kept for this instance:
 * `GET /openapi/v3` for the index, then the group-version document it points to.
 */
export class OpenApiV3 {
  private index: Promise<Record<string, { serverRelativeURL: string }>> | undefined;
  private readonly docs = new Map<string, Promise<OpenApiDocument | undefined>>();

  constructor(private readonly client: Client) {}

  /** The document for `group`/`version` (core is `''`), or undefined when the server has none. */
  document(group: string, version: string): Promise<OpenApiDocument | undefined> {
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    let doc = this.docs.get(key);
    if (!doc) {
      doc = (async () => {
        this.index ??= this.client
          .json<{ paths?: Record<string, { serverRelativeURL: string }> }>({ path: '/openapi/v3', accept: 'application/json' })
          .then((r) => r.paths ?? {});
        const entry = (await this.index)[key];
        if (!entry) return undefined;
        return this.client.json<OpenApiDocument>({ path: entry.serverRelativeURL, accept: 'application/json' });
      })();
      doc.catch(() => this.docs.delete(key));
      this.docs.set(key, doc);
    }
    return doc;
  }

  /**
   * How kubectl's client-side apply patches this kind: a strategic merge patch when the server's
   * PATCH operation for it accepts `application/strategic-merge-patch+json` (built-in kinds),
   * with the kind's schema for patch metadata; otherwise a JSON merge patch (custom resources).
   */
  async patchStrategy(gvk: GroupVersionKind): Promise<PatchStrategy> {
    const doc = await this.document(gvk.group, gvk.version);
    if (!doc) return { type: 'merge' };
    let supported = false;
    for (const item of Object.values(doc.paths ?? {})) {
      const op = item.patch;
      const opGvk = op?.['x-kubernetes-group-version-kind'];
      if (op && opGvk && sameGvk(opGvk, gvk)) {
        supported = !!op.requestBody?.content && Object.hasOwn(op.requestBody.content, SMP);
        break;
      }
    }
    if (!supported) return { type: 'merge' };
    const schemas = doc.components?.schemas ?? {};
    const root = Object.values(schemas).find((s) => s['x-kubernetes-group-version-kind']?.some((g) => sameGvk(g, gvk)));
    return { type: 'strategic', schema: new OpenApiPatchSchema(root, schemas) };
  }
}
