import { createHash } from 'node:crypto';
import { Api } from '../api/api.js';
import type { ApiResource, KubeObject } from '../api/resource.js';
import type { Client } from '../client.js';
import type { Discovery } from '../discovery/discovery.js';
import { ApiError, KtxError } from '../errors.js';
import type { ApplyResult, ApplyTarget } from './apply.js';

/** The label that identifies an ApplySet parent (KEP-3659). */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
/** The label on every member: the id of the ApplySet it belongs to. */
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
/** Parent annotation: the tool that manages the set, `<name>/<version>`. */
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
/** Parent annotation: the member group-kinds, `Kind.group` (core kinds bare), sorted, comma-separated. */
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
/** Parent annotation: the member namespaces other than the parent's, sorted, comma-separated. */
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';

/** Where an ApplySet's parent lives: a Secret (the default) or a ConfigMap in a namespace. */
export interface ApplySetParentRef {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  namespace: string;
}

/**
 * The ApplySet id of a parent: `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`,
 * as KEP-3659 defines it (so kubectl and ktx compute the same id for the same parent).
 */
export function applySetId(parent: ApplySetParentRef): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.${parent.kind}.`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** `Kind.group`, or the bare kind for the core group (apimachinery's GroupKind.String). */
export function groupKindString(r: Pick<ApiResource, 'group' | 'kind'>): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

/** Adds the member label to an object (a copy). */
export function withApplySetLabel(obj: KubeObject, id: string): KubeObject {
  return { ...obj, metadata: { ...(obj.metadata ?? {}), labels: { ...(obj.metadata?.labels ?? {}), [APPLYSET_PART_OF_LABEL]: id } } };
}

/** An object {@link ApplySet.prune} deleted (or would delete, in a dry run). */
export interface PrunedObject {
  resource: ApiResource;
  object: KubeObject;
}

/** Options of {@link ApplySet}. */
export interface ApplySetOptions {
  /** The value of the tooling annotation, e.g. `ktx/0.1.0`. A parent owned by another tool is refused. */
  tooling: string;
  fieldManager: string;
  dryRun?: 'client' | 'server';
  signal?: AbortSignal;
}

const splitList = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : []);

/**
 * Pruning by ApplySet (KEP-3659): a parent Secret or ConfigMap records which group-kinds and
 * namespaces the set spans, and every applied object carries the `part-of` label with the set's
 * id. After an apply, members that were not part of it are deleted.
 *
 * Use: {@link label} each object before applying, {@link begin} before applying (records the
 * union of the old and new group-kinds/namespaces on the parent, so an interrupted run can still
 * be pruned later), then {@link prune} and {@link commit} after a fully successful apply. The
 * parent is written with server-side apply.
 */
export class ApplySet {
  readonly id: string;
  private previous: { groupKinds: string[]; namespaces: string[] } = { groupKinds: [], namespaces: [] };

  constructor(
    private readonly client: Client,
    private readonly discovery: Discovery,
    readonly parent: ApplySetParentRef,
    private readonly options: ApplySetOptions,
  ) {
    this.id = applySetId(parent);
  }

  private parentApi(): Api {
    const resource: ApiResource = this.parent.kind === 'Secret'
      ? { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }
      : { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
    return Api.namespaced(this.client, resource, this.parent.namespace);
  }

  /** The object with the member label. */
  label(obj: KubeObject): KubeObject {
    return withApplySetLabel(obj, this.id);
  }

  /** Reads the parent (checking it belongs to this tool) and records the superset of old and new members on it. */
  async begin(targets: ApplyTarget[]): Promise<void> {
    const existing = await this.parentApi().getOpt(this.parent.name, this.signalOpt());
    if (existing) {
      const tooling = existing.metadata?.annotations?.[APPLYSET_TOOLING_ANNOTATION];
      const tool = (s: string | undefined) => (s ?? '').split('/')[0];
      if (tooling && tool(tooling) !== tool(this.options.tooling)) {
        throw new KtxError(`ApplySet parent ${this.parent.kind.toLowerCase()}/${this.parent.name} is managed by "${tooling}", not by ${tool(this.options.tooling)}`);
      }
      const id = existing.metadata?.labels?.[APPLYSET_ID_LABEL];
      if (id && id !== this.id) throw new KtxError(`ApplySet parent ${this.parent.kind.toLowerCase()}/${this.parent.name} has id ${id}, expected ${this.id}`);
      this.previous = {
        groupKinds: splitList(existing.metadata?.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]),
        namespaces: splitList(existing.metadata?.annotations?.[APPLYSET_NAMESPACES_ANNOTATION]),
      };
    }
    const now = this.membership(targets);
    await this.writeParent([...new Set([...this.previous.groupKinds, ...now.groupKinds])], [...new Set([...this.previous.namespaces, ...now.namespaces])]);
  }

  /** Records exactly the members of this apply on the parent. */
  async commit(applied: ApplyResult[]): Promise<void> {
    const now = this.membership(applied.map((r) => r.target));
    await this.writeParent(now.groupKinds, now.namespaces);
  }

  /**
   * Deletes the set's members (objects labelled with its id, in the group-kinds and namespaces the
   * parent recorded or this apply touched) that are not among `applied`. In a client dry run
   * nothing is deleted; in a server dry run the deletes are sent with `dryRun`.
   */
  async prune(applied: ApplyResult[], selector?: string): Promise<PrunedObject[]> {
    const now = this.membership(applied.map((r) => r.target));
    const groupKinds = [...new Set([...this.previous.groupKinds, ...now.groupKinds])].sort();
    const namespaces = [...new Set([this.parent.namespace, ...this.previous.namespaces, ...now.namespaces])].sort();
    const keep = new Set(applied.map((r) => r.object.metadata?.uid).filter(Boolean));
    const keepNames = new Set(applied.map((r) => `${groupKindString(r.target.resource)}/${r.target.object.metadata?.namespace ?? ''}/${r.target.object.metadata?.name ?? ''}`));
    const resources = await this.discovery.preferredResources();
    const labelSelector = [`${APPLYSET_PART_OF_LABEL}=${this.id}`, ...(selector ? [selector] : [])].join(',');
    const pruned: PrunedObject[] = [];
    for (const gk of groupKinds) {
      const resource = resources.find((r) => groupKindString(r) === gk);
      if (!resource) continue;
      const apis = resource.namespaced ? namespaces.map((ns) => Api.namespaced(this.client, resource, ns)) : [Api.cluster(this.client, resource)];
      for (const api of apis) {
        for await (const obj of api.listAll({ labelSelector, ...this.signalOpt() })) {
          const meta = obj.metadata ?? {};
          if ((meta.uid && keep.has(meta.uid)) || keepNames.has(`${gk}/${resource.namespaced ? (meta.namespace ?? '') : ''}/${meta.name ?? ''}`)) continue;
          if (meta.deletionTimestamp) continue;
          const full = { apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version, kind: resource.kind, ...obj };
          if (this.options.dryRun !== 'client') {
            try {
              await api.delete(meta.name ?? '', { propagationPolicy: 'Background', ...(this.options.dryRun === 'server' ? { dryRun: true } : {}), ...this.signalOpt() });
            } catch (err) {
              if (!(err instanceof ApiError && err.isNotFound())) throw err;
              continue;
            }
          }
          pruned.push({ resource, object: full });
        }
      }
    }
    return pruned;
  }

  private membership(targets: ApplyTarget[]): { groupKinds: string[]; namespaces: string[] } {
    const groupKinds = new Set<string>();
    const namespaces = new Set<string>();
    for (const t of targets) {
      groupKinds.add(groupKindString(t.resource));
      const ns = t.resource.namespaced ? t.object.metadata?.namespace : undefined;
      if (ns && ns !== this.parent.namespace) namespaces.add(ns);
    }
    return { groupKinds: [...groupKinds].sort(), namespaces: [...namespaces].sort() };
  }

  private async writeParent(groupKinds: string[], namespaces: string[]): Promise<void> {
    if (this.options.dryRun === 'client') return;
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: this.parent.kind,
      metadata: {
        name: this.parent.name,
        namespace: this.parent.namespace,
        labels: { [APPLYSET_ID_LABEL]: this.id },
        annotations: {
          [APPLYSET_TOOLING_ANNOTATION]: this.options.tooling,
          [APPLYSET_GROUP_KINDS_ANNOTATION]: [...groupKinds].sort().join(','),
          ...(namespaces.length ? { [APPLYSET_NAMESPACES_ANNOTATION]: [...namespaces].sort().join(',') } : {}),
        },
      },
    };
    await this.parentApi().patch(this.parent.name, { type: 'apply', body }, {
      fieldManager: this.options.fieldManager,
      force: true,
      ...(this.options.dryRun === 'server' ? { dryRun: true } : {}),
      ...this.signalOpt(),
    });
  }

  private signalOpt(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }
}
