// kubectl's pod rankings (k8s.io/kubectl/pkg/util/podutils): which pod of a workload a command talks to.
import type { Pod } from '../types/core/v1.js';

/** True when the pod's `Ready` condition is `True`. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Milliseconds since the epoch, or undefined for Go's zero time (an absent timestamp). */
function time(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function readyTime(pod: Pod): number | undefined {
  return time(pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** podutils' afterOrZero: t1 is after t2, where a zero time counts as after any other. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

const assigned = (p: Pod) => !!p.spec?.nodeName;

/** podutils.ActivePods' Less: true when `a` is less active than `b`. Phases other than these three rank as Pending. */
function lessActive(a: Pod, b: Pod): boolean {
  if (a.spec?.nodeName !== b.spec?.nodeName && (!assigned(a) || !assigned(b))) return !assigned(a);
  const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const ra = rank[a.status?.phase ?? ''] ?? 0;
  const rb = rank[b.status?.phase ?? ''] ?? 0;
  if (ra !== rb) return ra < rb;
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  if (isPodReady(a) && isPodReady(b) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(a), readyTime(b));
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const ca = time(a.metadata?.creationTimestamp);
  const cb = time(b.metadata?.creationTimestamp);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

/** podutils.ByLogging's Less: true when `a` is the better pod to read logs from. Phases other than these three rank as Running. */
function lessForLogging(a: Pod, b: Pod): boolean {
  if (a.spec?.nodeName !== b.spec?.nodeName && (!assigned(a) || !assigned(b))) return assigned(a);
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const ra = rank[a.status?.phase ?? ''] ?? 0;
  const rb = rank[b.status?.phase ?? ''] ?? 0;
  if (ra !== rb) return ra < rb;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a);
  if (isPodReady(a) && isPodReady(b) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(b), readyTime(a));
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) > maxRestarts(b);
  const ca = time(a.metadata?.creationTimestamp);
  const cb = time(b.metadata?.creationTimestamp);
  if (ca !== cb) return afterOrZero(cb, ca);
  return false;
}

/**
 * Sort comparator putting the most active pod first: kubectl's `sort.Reverse(ActivePods)`, the
 * ranking exec, attach and port-forward use to pick one pod of a workload or Service. A pod is
 * more active when it is assigned to a node, then Running (over Unknown over Pending), then Ready,
 * then ready for longer, then has fewer container restarts, then is older. Ties keep their order
 * (as Go's insertion sort does for the small lists kubectl sorts).
 */
export function byActivity(a: Pod, b: Pod): number {
  if (lessActive(b, a)) return -1;
  if (lessActive(a, b)) return 1;
  return 0;
}

/**
 * Sort comparator putting the best pod for `logs` first: kubectl's `ByLogging` (assigned, Running,
 * Ready, ready longest, fewest restarts, oldest).
 */
export function byLogging(a: Pod, b: Pod): number {
  if (lessForLogging(a, b)) return -1;
  if (lessForLogging(b, a)) return 1;
  return 0;
}

/** The first pod by `rank` (default {@link byActivity}); undefined for an empty list. */
export function bestPod(pods: readonly Pod[], rank: (a: Pod, b: Pod) => number = byActivity): Pod | undefined {
  return [...pods].sort(rank)[0];
}
