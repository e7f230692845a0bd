import type { Api } from '../api/api.js';
import type { KubeObject } from '../api/resource.js';
import { KtxError } from '../errors.js';
import { watcher } from './watcher.js';

/** A predicate over an object's current state; `undefined` means it does not exist. */
export type Condition<K> = (object: K | undefined) => boolean;

/** Waiting ended without the condition holding: timeout or abort. */
export class WaitTimeoutError extends KtxError {
  override name = 'WaitTimeoutError';
}

/**
 * Waits until `condition` holds for the object `name`, watching only that object (a
 * `metadata.name` field selector), and returns its last state (`undefined` if it is gone).
 * The condition is checked after the initial list and after every change. `timeoutMs` bounds
 * the wait (rejecting with {@link WaitTimeoutError}, whose message is kubectl wait's:
 * `timed out waiting for the condition on <plural>/<name>`).
 */
export async function awaitCondition<K extends KubeObject>(
  api: Api<K>,
  name: string,
  condition: Condition<K>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<K | undefined> {
  const ac = new AbortController();
  const signals = [ac.signal, options.signal, options.timeoutMs !== undefined ? AbortSignal.timeout(options.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => !!s,
  );
  const signal = AbortSignal.any(signals);
  let current: K | undefined;
  let initial: K | undefined;
  try {
    for await (const ev of watcher(api, { fieldSelector: `metadata.name=${name}`, signal })) {
      switch (ev.type) {
        case 'Init':
          initial = undefined;
          break;
        case 'InitApply':
          initial = ev.object;
          break;
        case 'InitDone':
          current = initial;
          break;
        case 'Apply':
          current = ev.object;
          break;
        case 'Delete':
          current = undefined;
          break;
      }
      if (ev.type !== 'Init' && ev.type !== 'InitApply' && condition(current)) return current;
    }
  } finally {
    ac.abort();
  }
  throw new WaitTimeoutError(`timed out waiting for the condition on ${api.resource.plural}/${name}`);
}

interface WithConditions {
  status?: { conditions?: Array<{ type?: string; status?: string }>; [k: string]: unknown };
}

function hasCondition(obj: KubeObject | undefined, type: string, status = 'True'): boolean {
  return !!(obj as WithConditions | undefined)?.status?.conditions?.some((c) => c.type === type && c.status === status);
}

/** Ready-made conditions for {@link awaitCondition}, as kube-rs's `conditions` module and kubectl's `wait`/`rollout status`. */
export const conditions = {
  /** The object exists. */
  isCreated: (): Condition<KubeObject> => (o) => o !== undefined,
  /** The object is gone; with `uid`, also true when a different object of the same name replaced it. */
  isDeleted:
    (uid?: string): Condition<KubeObject> =>
    (o) =>
      o === undefined || (uid !== undefined && o.metadata?.uid !== uid),
  /** A CustomResourceDefinition's `Established` condition is True: its API is served. */
  crdEstablished: (): Condition<KubeObject> => (o) => hasCondition(o, 'Established'),
  /** A pod's phase is Running. */
  podRunning: (): Condition<KubeObject> => (o) => (o as { status?: { phase?: string } } | undefined)?.status?.phase === 'Running',
  /** A pod's `Ready` condition is True. */
  podReady: (): Condition<KubeObject> => (o) => hasCondition(o, 'Ready'),
  /** A Job's `Complete` condition is True. */
  jobCompleted: (): Condition<KubeObject> => (o) => hasCondition(o, 'Complete'),
  /** A Job's `Failed` condition is True. */
  jobFailed: (): Condition<KubeObject> => (o) => hasCondition(o, 'Failed'),
  /**
   * A Deployment finished rolling out, by `kubectl rollout status`'s rules: the controller saw the
   * latest generation, every replica is updated and available, and no old replica remains.
   */
  deploymentRolledOut: (): Condition<KubeObject> => (o) => {
    const d = o as
      | { metadata?: { generation?: number }; spec?: { replicas?: number }; status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number } }
      | undefined;
    if (!d?.status || (d.metadata?.generation ?? 0) > (d.status.observedGeneration ?? -1)) return false;
    const want = d.spec?.replicas ?? 1;
    const s = d.status;
    return (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
  },
  /** All of the conditions hold. */
  all:
    <K>(...cs: Array<Condition<K>>): Condition<K> =>
    (o) =>
      cs.every((c) => c(o)),
  /** Any of the conditions holds. */
  any:
    <K>(...cs: Array<Condition<K>>): Condition<K> =>
    (o) =>
      cs.some((c) => c(o)),
  /** The condition does not hold. */
  not:
    <K>(c: Condition<K>): Condition<K> =>
    (o) =>
      !c(o),
};
