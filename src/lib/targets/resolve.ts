// `POD` or `TYPE/NAME` on a command line → the one pod exec, attach, port-forward and logs talk to.
import { Api } from '../api/api.js';
import type { ApiResource, KubeObject } from '../api/resource.js';
import type { Client } from '../client.js';
import { Discovery } from '../discovery/discovery.js';
import { KtxError } from '../errors.js';
import { watcher } from '../runtime/watcher.js';
import type { Pod } from '../types/core/v1.js';
import { pods } from '../types/resources.js';
import { bestPod, byActivity } from './active-pods.js';
import { podSelectorFor } from './selector.js';

/** What a `POD` or `TYPE/NAME` argument resolved to. */
export interface PodTarget {
  /** The chosen pod. */
  pod: Pod;
  /** The resource of the object that was named (`pods` for a pod). */
  resource: ApiResource;
  /** The object that was named: the pod itself, or the workload or Service. */
  object: KubeObject;
  /** The label selector of the pods behind a workload or Service; undefined when a pod was named. */
  selector?: string;
  /** How many pods the selector matched when the pod was chosen (1 for a named pod). */
  podCount: number;
}

/** Options of {@link resolvePodTarget}. */
export interface ResolvePodTargetOptions {
  /** How long to wait for a running pod behind a workload or Service (kubectl's `--pod-running-timeout`, default 60 s). */
  podRunningTimeoutMs?: number;
  signal?: AbortSignal;
  /** Discovery to resolve TYPE with (default: a fresh one for the client, with kubectl's disk cache). */
  discovery?: Discovery;
  /** The ranking that picks the pod (default {@link byActivity}, as exec/attach/port-forward; `logs` uses `byLogging`). */
  rank?: (a: Pod, b: Pod) => number;
}

/** `TYPE/NAME` split as kubectl's resource builder splits it; a bare name is a pod. */
export function splitTarget(target: string): { type: string | undefined; name: string } {
  const parts = target.split('/');
  if (parts.length === 1) return { type: undefined, name: target };
  if (parts.length > 2) throw new KtxError('arguments in resource/name form may not have more than one slash');
  const [type = '', name = ''] = parts;
  if (!type || !name) throw new KtxError('arguments in resource/name form must have a single resource and name');
  return { type, name };
}

/**
 * Resolves a command's target as kubectl's `AttachablePodForObject` does. A bare name, or a
 * `TYPE/NAME` whose TYPE is pods, is fetched as that pod (404 → ApiError). Any other TYPE is
 * resolved through discovery (`deploy`, `rs`, `sts`, `ds`, `job`, `rc`, `svc`, …), the object is
 * fetched, and its pod selector (see `podSelectorFor`) lists its pods; the most active one by
 * `rank` is chosen. When none of them is Running yet, it watches the pods for up to
 * `podRunningTimeoutMs` for one that is; at the deadline it returns the best pod there is (the
 * caller reports its phase, as kubectl does) or, with no pod at all, fails with kubectl's
 * `timed out waiting for the condition`.
 */
export async function resolvePodTarget(client: Client, namespace: string, target: string, options: ResolvePodTargetOptions = {}): Promise<PodTarget> {
  const signal = options.signal;
  const { type, name } = splitTarget(target);
  const call = signal ? { signal } : {};
  if (type === undefined) {
    const pod = await Api.namespaced(client, pods, namespace).get(name, call);
    return { pod, resource: pods, object: pod, podCount: 1 };
  }
  const discovery = options.discovery ?? Discovery.forClient(client);
  const [resource] = await discovery.resolve(type);
  if (!resource) throw new KtxError(`the server doesn't have a resource type "${type}"`);
  const object = await new Api(client, resource, resource.namespaced ? namespace : undefined).get(name, call);
  if (resource.group === '' && resource.kind === 'Pod') return { pod: object as Pod, resource, object, podCount: 1 };
  const selector = podSelectorFor(resource, object);
  const { pod, count } = await waitForRunningPod(client, object.metadata?.namespace ?? namespace, selector, options);
  return { pod, resource, object, selector, podCount: count };
}

const isRunning = (p: Pod) => p.status?.phase === 'Running';

async function waitForRunningPod(
  client: Client,
  namespace: string,
  selector: string,
  options: ResolvePodTargetOptions,
): Promise<{ pod: Pod; count: number }> {
  const rank = options.rank ?? byActivity;
  const api = Api.namespaced(client, pods, namespace);
  const first = await api.list({ labelSelector: selector, ...(options.signal ? { signal: options.signal } : {}) });
  let known = new Map(first.items.map((p) => [p.metadata?.name ?? '', p]));
  const pick = () => {
    const all = [...known.values()];
    const pod = bestPod(all, rank);
    return pod ? { pod, count: all.length } : undefined;
  };
  if (first.items.some(isRunning)) return pick()!;

  const stop = new AbortController();
  const timeout = AbortSignal.timeout(options.podRunningTimeoutMs ?? 60_000);
  const signal = AbortSignal.any([stop.signal, timeout, ...(options.signal ? [options.signal] : [])]);
  let staged = new Map<string, Pod>();
  try {
    for await (const ev of watcher(api, { labelSelector: selector, signal })) {
      if (ev.type === 'Init') staged = new Map();
      else if (ev.type === 'InitApply') staged.set(ev.object.metadata?.name ?? '', ev.object);
      else if (ev.type === 'InitDone') known = staged;
      else if (ev.type === 'Apply') known.set(ev.object.metadata?.name ?? '', ev.object);
      else known.delete(ev.object.metadata?.name ?? '');
      if (ev.type !== 'Init' && ev.type !== 'InitApply' && [...known.values()].some(isRunning)) return pick()!;
    }
  } finally {
    stop.abort();
  }
  options.signal?.throwIfAborted();
  const best = pick();
  if (best) return best;
  throw new KtxError('timed out waiting for the condition');
}
