import { setTimeout as delay } from 'node:timers/promises';
import { Api } from '../api/api.js';
import type { ApiResource, KubeObject } from '../api/resource.js';
import type { Client } from '../client.js';
import type { Discovery } from '../discovery/discovery.js';
import { ApiError, KtxError } from '../errors.js';
import { assignNamespace } from '../manifests/namespace.js';
import type { Manifest } from '../manifests/parse.js';
import { awaitCondition, conditions } from '../runtime/wait.js';
import { ApplyConflictError, describeObject, ResourceMappingError, withSource } from './errors.js';
import { goJson } from './go-json.js';
import { createThreeWayJsonMergePatch } from './json-merge-patch.js';
import { LAST_APPLIED_ANNOTATION, originalConfiguration, withLastApplied, withoutLastApplied } from './last-applied.js';
import { migrateClientSideManagersPatch } from './managed-fields.js';
import { NoKindMatchError, ResourceMapper, splitApiVersion } from './mapper.js';
import { OpenApiV3 } from './openapi.js';
import { createThreeWayMergePatch } from './strategic-merge-patch.js';

/** A manifest resolved to the resource that serves it, with its namespace defaulted. */
export interface ApplyTarget {
  manifest: Manifest;
  resource: ApiResource;
  /** The object as it is applied (namespace filled in for namespaced kinds). */
  object: KubeObject;
}

/** What happened to one object; the words kubectl prints after its name. */
export type ApplyOperation = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

export interface ApplyResult {
  target: ApplyTarget;
  operation: ApplyOperation;
  /** The object the server returned (or, for a client dry run, the object that would be sent). */
  object: KubeObject;
}

/** An object that could not be applied, with the error kubectl would report for it. */
export interface ApplyFailure {
  target?: ApplyTarget;
  manifest: Manifest;
  error: Error;
}

/** Options of {@link Applier}. */
export interface ApplyOptions {
  /** `server`: server-side apply (one PATCH per object). `client`: kubectl's classic three-way merge. */
  mode: 'server' | 'client';
  fieldManager: string;
  /** Server-side apply: take over fields other managers own instead of failing with a conflict. */
  forceConflicts?: boolean;
  /** `client`: send nothing; `server`: the server runs everything but stores nothing. */
  dryRun?: 'client' | 'server';
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** The namespace for objects that name none. */
  namespace: string;
  /** An explicit `--namespace`: objects naming another namespace are refused. */
  enforceNamespace?: boolean;
  /** How long to wait for new CRDs to be Established before their custom resources (default 60 s). */
  crdTimeoutMs?: number;
  /**
   * Client-side mode: record the last-applied annotation (default true). kubectl diff computes its
   * merged objects without it, so they show only what the manifest changes.
   */
  annotate?: boolean;
  /** The program name used in warnings that quote commands (`ktx apply …`). */
  programName?: string;
  /** Warnings for the user (kubectl prints them on stderr as they happen). */
  onWarning?: (text: string) => void;
  /** Called as each object is applied, in order. */
  onApplied?: (result: ApplyResult) => void;
  signal?: AbortSignal;
}

/** The outcome of {@link Applier.apply}: successes and failures, in the order they happened. */
export interface ApplyReport {
  results: ApplyResult[];
  /** Manifests that could not be mapped or placed (unknown kind, namespace mismatch): nothing was sent for them. */
  mappingErrors: ApplyFailure[];
  /** Objects the server (or the client-side checks before sending) refused. */
  failures: ApplyFailure[];
}

const MAX_PATCH_RETRIES = 5;

const isNamespace = (o: KubeObject) => o.apiVersion === 'v1' && o.kind === 'Namespace';
const isCrd = (o: KubeObject) => splitApiVersion(o.apiVersion ?? '').group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition';

interface CrdSpec {
  group?: string;
  names?: { kind?: string; plural?: string };
  scope?: string;
  versions?: Array<{ name?: string; served?: boolean }>;
}

/** The CRD manifest in this batch that defines `apiVersion`/`kind`, if any. */
function definingCrd(manifests: Manifest[], apiVersion: string, kind: string): Manifest | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return manifests.find((m) => {
    if (!isCrd(m.object)) return false;
    const spec = (m.object as { spec?: CrdSpec }).spec;
    return spec?.group === group && spec.names?.kind === kind && !!spec.versions?.some((v) => v.name === version);
  });
}

function nameOf(t: ApplyTarget): string {
  return t.object.metadata?.name ?? '';
}

function namespaceOf(t: ApplyTarget): string {
  return t.resource.namespaced ? (t.object.metadata?.namespace ?? '') : '';
}

function apiFor(client: Client, t: ApplyTarget): Api {
  return t.resource.namespaced ? Api.namespaced(client, t.resource, namespaceOf(t)) : Api.cluster(client, t.resource);
}

/**
 * Applies manifests the way `kubectl apply` does, with ordering kubectl lacks:
 *
 * 1. every manifest is mapped to its resource through discovery and its namespace defaulted;
 *    unknown kinds and namespace mismatches are reported and skipped (`mappingErrors`), except
 *    kinds defined by a CRD in the same batch;
 * 2. Namespaces are applied first, then CustomResourceDefinitions; CRDs whose custom resources
 *    are in the batch are awaited until Established and discovery is refreshed for them;
 * 3. everything else is applied in manifest order.
 *
 * A failing object does not stop the others. Server-side mode sends one apply PATCH per object
 * (conflicts fail with kubectl's help text unless `forceConflicts`) and then migrates fields
 * owned by earlier client-side applies. Client-side mode is kubectl's: the last-applied
 * annotation, a three-way strategic merge patch for built-in kinds (patch metadata from the
 * server's OpenAPI v3) or JSON merge patch for custom resources, `unchanged` when the patch is
 * empty, retries on conflicts.
 */
export class Applier {
  readonly mapper: ResourceMapper;
  private readonly openapi: OpenApiV3;

  constructor(
    private readonly client: Client,
    discovery: Discovery,
    private readonly options: ApplyOptions,
  ) {
    this.mapper = new ResourceMapper(discovery);
    this.openapi = new OpenApiV3(client);
  }

  /** Maps one manifest to its target; throws ResourceMappingError or NamespaceMismatchError. */
  async target(manifest: Manifest): Promise<ApplyTarget> {
    const { apiVersion = '', kind = '' } = manifest.object;
    let resource: ApiResource;
    try {
      resource = await this.mapper.map(apiVersion, kind);
    } catch (err) {
      if (err instanceof NoKindMatchError) throw mappingError(manifest, err);
      throw err;
    }
    const object = assignNamespace(manifest.object, resource.namespaced, this.options.namespace, !!this.options.enforceNamespace);
    return { manifest, resource, object };
  }

  /** Applies the manifests; never throws for a single object's failure (see {@link ApplyReport}). */
  async apply(manifests: Manifest[]): Promise<ApplyReport> {
    const report: ApplyReport = { results: [], mappingErrors: [], failures: [] };
    const targets = new Map<Manifest, ApplyTarget>();
    const deferred = new Map<Manifest, Manifest>();
    for (const m of manifests) {
      try {
        targets.set(m, await this.target(m));
      } catch (err) {
        const crd = err instanceof ResourceMappingError ? definingCrd(manifests, m.object.apiVersion ?? '', m.object.kind ?? '') : undefined;
        if (crd) {
          const spec = (crd.object as { spec?: CrdSpec }).spec;
          try {
            assignNamespace(m.object, spec?.scope !== 'Cluster', this.options.namespace, !!this.options.enforceNamespace);
            deferred.set(m, crd);
          } catch (nsErr) {
            report.mappingErrors.push({ manifest: m, error: nsErr as Error });
          }
        } else {
          report.mappingErrors.push({ manifest: m, error: err as Error });
        }
      }
    }

    const run = async (m: Manifest) => {
      const t = targets.get(m);
      if (!t) return;
      try {
        const r = await this.applyOne(t);
        report.results.push(r);
        this.options.onApplied?.(r);
      } catch (err) {
        report.failures.push({ target: t, manifest: m, error: err as Error });
      }
    };

    const first = manifests.filter((m) => isNamespace(m.object));
    const crds = manifests.filter((m) => isCrd(m.object));
    for (const m of first) await run(m);
    for (const m of crds) await run(m);
    await this.awaitDeferred(deferred, targets, report);
    for (const m of manifests) if (!isNamespace(m.object) && !isCrd(m.object)) await run(m);
    return report;
  }

  /** Waits for the CRDs that deferred manifests depend on, then maps those manifests. */
  private async awaitDeferred(deferred: Map<Manifest, Manifest>, targets: Map<Manifest, ApplyTarget>, report: ApplyReport): Promise<void> {
    if (deferred.size === 0) return;
    const failed = new Map<Manifest, Error>();
    const crds = [...new Set(deferred.values())];
    for (const crd of crds) {
      const applied = report.results.find((r) => r.target.manifest === crd);
      if (!applied || this.options.dryRun) continue;
      const api = apiFor(this.client, applied.target);
      try {
        await awaitCondition(api, nameOf(applied.target), conditions.crdEstablished(), {
          timeoutMs: this.options.crdTimeoutMs ?? 60_000,
          ...(this.options.signal ? { signal: this.options.signal } : {}),
        });
      } catch (err) {
        failed.set(crd, new KtxError(`CustomResourceDefinition "${nameOf(applied.target)}" did not become Established: ${(err as Error).message}`));
      }
    }
    this.mapper.invalidate();
    for (const [m, crd] of deferred) {
      const why = failed.get(crd);
      if (why) {
        report.failures.push({ manifest: m, error: why });
        continue;
      }
      try {
        targets.set(m, await this.target(m));
      } catch (err) {
        report.mappingErrors.push({ manifest: m, error: err as Error });
      }
    }
  }

  /** Applies one mapped object with the configured mode. */
  async applyOne(t: ApplyTarget): Promise<ApplyResult> {
    if (!nameOf(t)) {
      const generateName = t.object.metadata?.generateName;
      if (generateName) throw new KtxError(`from ${generateName}: cannot use generate name with apply`);
    }
    return this.options.mode === 'server' ? this.serverSide(t) : this.clientSide(t);
  }

  private writeParams() {
    const o = this.options;
    return {
      fieldManager: o.fieldManager,
      fieldValidation: o.fieldValidation ?? ('Strict' as const),
      ...(o.dryRun === 'server' ? { dryRun: true } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    };
  }

  private async serverSide(t: ApplyTarget): Promise<ApplyResult> {
    const name = nameOf(t);
    if (!name) throw new KtxError('resource name may not be empty');
    const api = apiFor(this.client, t);
    let obj: KubeObject;
    try {
      obj = await api.patch(name, { type: 'apply', body: t.object }, { ...this.writeParams(), ...(this.options.forceConflicts ? { force: true } : {}) });
    } catch (err) {
      if (err instanceof ApiError && err.code === 409 && err.reason === 'Conflict') throw new ApplyConflictError(err);
      throw err;
    }
    if (!this.options.dryRun) obj = await this.migrateManagedFields(api, name, obj);
    return { target: t, operation: 'serverside-applied', object: obj };
  }

  /** Hands fields still owned by client-side apply managers to the server-side manager; failures only warn. */
  private async migrateManagedFields(api: Api, name: string, obj: KubeObject): Promise<KubeObject> {
    let current = obj;
    for (let attempt = 0; attempt <= MAX_PATCH_RETRIES; attempt++) {
      const ops = migrateClientSideManagersPatch(current, this.options.fieldManager);
      if (!ops) return current;
      try {
        return await api.patch(name, { type: 'json', ops }, this.options.signal ? { signal: this.options.signal } : {});
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 409)) {
          this.options.onWarning?.(`Warning: failed to migrate kubectl.kubernetes.io/last-applied-configuration for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(err as Error).message}`);
          return current;
        }
        current = await api.get(name);
      }
    }
    return current;
  }

  private async clientSide(t: ApplyTarget): Promise<ApplyResult> {
    const o = this.options;
    const name = nameOf(t);
    const source = t.manifest.source;
    const info = describeObject(t.resource, name, namespaceOf(t));
    const annotate = o.annotate !== false;
    const modified = annotate ? withLastApplied(t.object) : withoutLastApplied(t.object);
    if (!name) throw new KtxError(`error when retrieving current configuration of:\n${info}\nfrom server for: "${source}": resource name may not be empty`);
    const api = apiFor(this.client, t);
    let live: KubeObject | undefined;
    try {
      live = await api.getOpt(name, o.signal ? { signal: o.signal } : {});
    } catch (err) {
      throw withSource(`retrieving current configuration of:\n${info}\nfrom server for:`, source, err);
    }
    if (!live) {
      if (o.dryRun === 'client') return { target: t, operation: 'created', object: modified };
      try {
        return { target: t, operation: 'created', object: await api.create(pruneNulls(annotate ? modified : t.object), this.writeParams()) };
      } catch (err) {
        throw withSource('creating', source, err);
      }
    }
    if (o.dryRun === 'client') return { target: t, operation: 'configured', object: modified };
    if (annotate && !live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION]) {
      const prog = o.programName ?? 'kubectl';
      o.onWarning?.(
        `Warning: resource ${t.resource.plural}/${name} is missing the ${LAST_APPLIED_ANNOTATION} annotation which is required by ${prog} apply. ${prog} apply should only be used on resources created declaratively by either ${prog} create --save-config or ${prog} apply. The missing annotation will be patched automatically.`,
      );
    }
    let patchText = '';
    let lastError: unknown;
    for (let attempt = 0; attempt <= MAX_PATCH_RETRIES; attempt++) {
      if (attempt > 1) await delay(1000, undefined, o.signal ? { signal: o.signal } : {});
      if (attempt > 0) live = await api.get(name);
      const computed = await this.clientPatch(t, modified, live!);
      patchText = goJson(computed.patch);
      if (patchText === '{}') return { target: t, operation: 'unchanged', object: live! };
      try {
        const obj = await api.patch(name, { type: computed.type, body: computed.patch }, this.writeParams());
        return { target: t, operation: 'configured', object: obj };
      } catch (err) {
        lastError = err;
        if (!(err instanceof ApiError && err.isConflict())) break;
      }
    }
    throw withSource(`applying patch:\n${patchText}\nto:\n${info}\nfor:`, source, withSource('patching', source, lastError));
  }

  /** kubectl's patch choice: strategic merge for kinds whose PATCH accepts it, JSON merge patch otherwise. */
  private async clientPatch(t: ApplyTarget, modified: KubeObject, live: KubeObject): Promise<{ type: 'strategic' | 'merge'; patch: Record<string, unknown> }> {
    const original = originalConfiguration(live);
    const strategy = await this.openapi.patchStrategy({ group: t.resource.group, version: t.resource.version, kind: t.resource.kind });
    if (strategy.type === 'strategic') {
      return { type: 'strategic', patch: createThreeWayMergePatch(original, modified as Record<string, unknown>, live as Record<string, unknown>, strategy.schema) };
    }
    return { type: 'merge', patch: createThreeWayJsonMergePatch(original, modified as Record<string, unknown>, live as Record<string, unknown>) };
  }
}

/** kubectl's `resource mapping not found for name: … from "…": no matches for kind … ensure CRDs are installed first`. */
function mappingError(m: Manifest, err: NoKindMatchError): ResourceMappingError {
  const meta = m.object.metadata ?? {};
  return new ResourceMappingError(
    `resource mapping not found for name: "${meta.name ?? ''}" namespace: "${meta.namespace ?? ''}" from "${m.source}": ${err.message}\nensure CRDs are installed first`,
  );
}

/** Creates drop null fields, as kubectl's create path does (a null would otherwise reach the server). */
function pruneNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => pruneNulls(x)) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, pruneNulls(x)])) as T;
  }
  return v;
}

