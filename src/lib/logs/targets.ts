// `logs POD`, `logs TYPE/NAME` and `logs -l SELECTOR` → the pods and containers to read.
import { Api } from '../api/api.js';
import type { Client } from '../client.js';
import type { Discovery } from '../discovery/discovery.js';
import { ApiError, KtxError } from '../errors.js';
import { byLogging } from '../targets/active-pods.js';
import { resolvePodTarget } from '../targets/resolve.js';
import { SelectorError } from '../targets/selector.js';
import type { Pod } from '../types/core/v1.js';
import { pods as podsResource } from '../types/resources.js';
import { sourcesOf, type ContainerChoice, type LogSource } from './source.js';

/** What a `logs` invocation names. Exactly one of `target` and `selector` is set. */
export interface LogTargetOptions {
  /** `POD` or `TYPE/NAME` (`deploy/web`, `job/x`, `svc/y`, …). */
  target?: string;
  /** A label selector over pods (`-l`). */
  selector?: string;
  /** Every pod of a workload instead of the best one (`--all-pods`). */
  allPods?: boolean;
  containers?: ContainerChoice;
  /** How long to wait for a pod of a workload (kubectl's `--pod-running-timeout`, default 20 s for logs). */
  podRunningTimeoutMs?: number;
  discovery?: Discovery;
  signal?: AbortSignal;
  /**
   * Called once the named pod, workload or pod list has been fetched, before containers are
   * picked: kubectl checks its flags at this point, so a missing object is reported before a bad
   * flag, and a bad flag before a missing container.
   */
  afterFetch?: () => void;
}

/** The pods and container logs a `logs` invocation reads. */
export interface LogTargets {
  /** The pods, in the order their logs are shown. */
  pods: Pod[];
  /** Their containers' logs, in the order they are shown: pod by pod, each pod's containers as {@link sourcesOf} orders them. */
  sources: LogSource[];
  /**
   * What kubectl prints on stderr on the way, in its order (without newlines): `No resources
   * found in … namespace.`, `Found N pods, using pod/…`, `Defaulted container …`.
   */
  notices: string[];
  /**
   * The label selector behind the pods when there is one (`-l`, or `--all-pods` of a workload):
   * a follower can pick up pods that appear later.
   */
  selector?: string;
}

const byName = (a: Pod, b: Pod) => {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Resolves what to read as kubectl's `logs` does, in a deterministic order where kubectl's is
 * random (Go map iteration):
 *
 * - `selector`: the matching pods, by name (none: a `No resources found` notice);
 * - a pod name, or `pod/NAME`: that pod; a missing one fails with kubectl's
 *   `error from server (NotFound): pods "x" not found in namespace "ns"`;
 * - another `TYPE/NAME`: the pods behind the workload or Service; the best one for logs (kubectl's
 *   ByLogging ranking, with a `Found N pods, using pod/x` notice when there were several), or
 *   with `allPods` all of them, by name.
 *
 * Containers are picked by {@link sourcesOf} (`Defaulted container …` notices, or an error for
 * a container the pod does not have).
 */
export async function resolveLogTargets(client: Client, namespace: string, options: LogTargetOptions): Promise<LogTargets> {
  const call = options.signal ? { signal: options.signal } : {};
  const choice: ContainerChoice = { ...options.containers, ...(options.allPods ? { quiet: true } : {}) };
  const notices: string[] = [];
  let pods: Pod[];
  let selector: string | undefined;

  if (options.selector !== undefined) {
    selector = options.selector;
    const list = await Api.namespaced(client, podsResource, namespace).list({ labelSelector: selector, ...call });
    pods = [...list.items].sort(byName);
    if (!pods.length) notices.push(`No resources found in ${namespace} namespace.`);
  } else {
    const target = await resolvePodTarget(client, namespace, options.target ?? '', {
      rank: byLogging,
      ...(options.podRunningTimeoutMs !== undefined ? { podRunningTimeoutMs: options.podRunningTimeoutMs } : {}),
      ...(options.discovery ? { discovery: options.discovery } : {}),
      ...call,
    }).catch((err: unknown) => {
      throw logsTargetError(err, namespace);
    });
    pods = [target.pod];
    if (target.selector !== undefined) {
      if (options.allPods) {
        selector = target.selector;
        if (target.podCount > 1) {
          const list = await Api.namespaced(client, podsResource, target.pod.metadata?.namespace ?? namespace).list({ labelSelector: selector, ...call });
          pods = [...list.items].sort(byName);
        }
      } else if (target.podCount > 1) notices.push(`Found ${target.podCount} pods, using pod/${target.pod.metadata?.name ?? ''}`);
    }
  }
  options.afterFetch?.();
  const picked = sourcesOf(pods, choice);
  return { pods, sources: picked.sources, notices: [...notices, ...picked.notices], ...(selector !== undefined ? { selector } : {}) };
}

/** kubectl's wording for failures to find the target: `logs` wraps them differently than exec. */
function logsTargetError(err: unknown, namespace: string): unknown {
  if (err instanceof ApiError && err.isNotFound()) {
    return new KtxError(`error from server (NotFound): ${err.message} in namespace ${JSON.stringify(namespace)}`);
  }
  if (err instanceof SelectorError) {
    const attach = /^cannot attach to ([^:]+): (.*)$/s.exec(err.message);
    if (attach) return new SelectorError(`cannot get the logs from ${attach[1]}: ${attach[2]}`);
    if (err.message.startsWith('invalid service ')) return new SelectorError(`cannot get the logs from *v1.Service: ${err.message}`);
  }
  return err;
}
