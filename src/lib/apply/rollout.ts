import { Api } from '../api/api.js';
import type { ApiResource, KubeObject } from '../api/resource.js';
import type { Client } from '../client.js';
import { watcher } from '../runtime/watcher.js';

/** Where an object is on its way to being usable. `failed` is final (a Job failed, a rollout hit its deadline). */
export interface Readiness {
  state: 'pending' | 'ready' | 'failed';
  /** A one-line explanation, in `kubectl rollout status` wording where it has one. */
  message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

interface Workload {
  metadata?: { name?: string; generation?: number };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    completions?: number | null;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    succeeded?: number;
    phase?: string;
    conditions?: Condition[];
  };
}

const cond = (w: Workload, type: string) => w.status?.conditions?.find((c) => c.type === type);

/** Whether `--wait` waits for objects of this resource: Deployments, StatefulSets, DaemonSets, Jobs and Pods. */
export function waitsFor(r: Pick<ApiResource, 'group' | 'kind'>): boolean {
  return (r.group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(r.kind)) || (r.group === 'batch' && r.kind === 'Job') || (r.group === '' && r.kind === 'Pod');
}

/**
 * The readiness of a workload by `kubectl rollout status` rules (Deployments, StatefulSets,
 * DaemonSets), a Job's completion, or a Pod's Ready condition. Objects of other kinds are ready.
 */
export function readiness(r: Pick<ApiResource, 'group' | 'kind'>, obj: KubeObject | undefined): Readiness {
  if (!obj) return { state: 'pending', message: 'waiting for the object to exist' };
  const w = obj as Workload;
  const name = w.metadata?.name ?? '';
  const s = w.status ?? {};
  const observed = (w.metadata?.generation ?? 0) <= (s.observedGeneration ?? -1);
  switch (`${r.group}/${r.kind}`) {
    case 'apps/Deployment': {
      if (!observed) return { state: 'pending', message: 'Waiting for deployment spec update to be observed...' };
      const progressing = cond(w, 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded') return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
      const want = w.spec?.replicas ?? 1;
      const updated = s.updatedReplicas ?? 0;
      if (updated < want) return { state: 'pending', message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...` };
      if ((s.replicas ?? 0) > updated) return { state: 'pending', message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...` };
      if ((s.availableReplicas ?? 0) < updated) return { state: 'pending', message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...` };
      return { state: 'ready', message: `deployment "${name}" successfully rolled out` };
    }
    case 'apps/StatefulSet': {
      if (!observed) return { state: 'pending', message: 'Waiting for statefulset spec update to be observed...' };
      const want = w.spec?.replicas ?? 1;
      if ((s.readyReplicas ?? 0) < want) return { state: 'pending', message: `Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...` };
      if (w.spec?.updateStrategy?.type === 'OnDelete') return { state: 'ready', message: `statefulset "${name}" has ${s.readyReplicas ?? 0} ready pods` };
      const partition = w.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) {
        if ((s.updatedReplicas ?? 0) < want - partition) {
          return { state: 'pending', message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${want - partition} new pods have been updated...` };
        }
        return { state: 'ready', message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...` };
      }
      if (s.updateRevision !== s.currentRevision) {
        return { state: 'pending', message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision ?? ''}...` };
      }
      return { state: 'ready', message: `statefulset rolling update complete ${s.currentRevision ? `${s.readyReplicas ?? 0} pods at revision ${s.currentRevision}` : ''}...` };
    }
    case 'apps/DaemonSet': {
      if (!observed) return { state: 'pending', message: 'Waiting for daemon set spec update to be observed...' };
      const desired = s.desiredNumberScheduled ?? 0;
      if ((s.updatedNumberScheduled ?? 0) < desired) {
        return { state: 'pending', message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...` };
      }
      if ((s.numberAvailable ?? 0) < desired) {
        return { state: 'pending', message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...` };
      }
      return { state: 'ready', message: `daemon set "${name}" successfully rolled out` };
    }
    case 'batch/Job': {
      if (cond(w, 'Complete')?.status === 'True') return { state: 'ready', message: `job "${name}" completed` };
      const failed = cond(w, 'Failed');
      if (failed?.status === 'True') return { state: 'failed', message: `job "${name}" failed: ${failed.message ?? failed.reason ?? ''}`.trimEnd() };
      const want = w.spec?.completions ?? 1;
      return { state: 'pending', message: `Waiting for job "${name}" to complete: ${s.succeeded ?? 0} of ${want} completions...` };
    }
    case '/Pod': {
      if (s.phase === 'Failed') return { state: 'failed', message: `pod "${name}" failed` };
      if (s.phase === 'Succeeded' || cond(w, 'Ready')?.status === 'True') return { state: 'ready', message: `pod "${name}" is ready` };
      return { state: 'pending', message: `Waiting for pod "${name}" to be ready (phase ${s.phase ?? 'Pending'})...` };
    }
    default:
      return { state: 'ready', message: `${name} exists` };
  }
}

/** One object {@link waitUntilReady} follows. */
export interface ReadinessTarget {
  resource: ApiResource;
  name: string;
  namespace?: string;
}

/** Options of {@link waitUntilReady}. */
export interface WaitReadyOptions {
  /** Give up after this long; the targets still pending are reported as such. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Every change of any target's readiness, as it happens. */
  onUpdate?: (index: number, readiness: Readiness) => void;
}

/**
 * Watches each target (one watch per object, by name) until every one is ready or has failed,
 * or the timeout passes. Resolves with the last readiness of each target, in target order.
 */
export async function waitUntilReady(client: Client, targets: ReadinessTarget[], options: WaitReadyOptions = {}): Promise<Readiness[]> {
  const states: Readiness[] = targets.map(() => ({ state: 'pending', message: 'waiting' }));
  const stop = new AbortController();
  const signals = [stop.signal, options.signal, options.timeoutMs !== undefined ? AbortSignal.timeout(options.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => !!s,
  );
  const signal = AbortSignal.any(signals);
  const follow = async (t: ReadinessTarget, i: number) => {
    const api = t.resource.namespaced ? Api.namespaced(client, t.resource, t.namespace) : Api.cluster(client, t.resource);
    let current: KubeObject | undefined;
    let initial: KubeObject | undefined;
    for await (const ev of watcher(api, { fieldSelector: `metadata.name=${t.name}`, signal })) {
      if (ev.type === 'Init') initial = undefined;
      else if (ev.type === 'InitApply') initial = ev.object;
      else if (ev.type === 'InitDone') current = initial;
      else if (ev.type === 'Apply') current = ev.object;
      else if (ev.type === 'Delete') current = undefined;
      if (ev.type === 'Init' || ev.type === 'InitApply') continue;
      const r = readiness(t.resource, current);
      if (r.state !== states[i]!.state || r.message !== states[i]!.message) {
        states[i] = r;
        options.onUpdate?.(i, r);
      }
      if (r.state !== 'pending') return;
    }
  };
  try {
    await Promise.all(targets.map((t, i) => follow(t, i)));
  } finally {
    stop.abort();
  }
  return states;
}
