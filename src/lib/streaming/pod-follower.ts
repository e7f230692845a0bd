// Which pod a long-running port-forward uses now: the named pod until it goes away, or the best ready pod of a workload.
import { Api } from '../api/api.js';
import type { Client } from '../client.js';
import { KtxError } from '../errors.js';
import { watcher } from '../runtime/watcher.js';
import { bestPod, byActivity, isPodReady } from '../targets/active-pods.js';
import type { PodTarget } from '../targets/resolve.js';
import type { Pod } from '../types/core/v1.js';
import { pods } from '../types/resources.js';

/** What a {@link PodFollower} reports. */
export interface PodFollowerEvents {
  /** A workload's pod went away (deleted, terminating or no longer Running) and `to` replaces it. */
  onSwitch?: (from: string, to: Pod) => void;
  /** The current pod went away and no ready replacement exists yet. */
  onWaiting?: (from: string) => void;
  /** A named pod went away (deleted, replaced by a new pod of the same name, or completed): there is no replacement. */
  onLost?: (pod: string) => void;
}

const nameOf = (p: Pod) => p.metadata?.name ?? '';

/**
 * Follows the pods behind a resolved target with a watch. For a named pod it only notices the
 * pod's end. For a workload or Service (a target with a selector) it re-selects: when the current
 * pod is deleted, starts terminating or stops Running, the most active pod that is Running, Ready
 * and not terminating takes over (kubectl would end the session instead; see kubectl#686).
 */
export class PodFollower {
  private current: Pod | undefined;
  private lastName: string;
  private waiters = new Set<(pod: Pod) => void>();
  private lost = false;

  constructor(
    private readonly client: Client,
    private readonly namespace: string,
    private readonly target: PodTarget,
    private readonly events: PodFollowerEvents = {},
  ) {
    this.current = target.pod;
    this.lastName = nameOf(target.pod);
  }

  /** The pod in use, or undefined while waiting for a replacement (or after the named pod was lost). */
  get pod(): Pod | undefined {
    return this.current;
  }

  /** The pod to connect to now; while there is none, waits up to `timeoutMs` for a replacement. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<Pod> {
    if (this.current) return Promise.resolve(this.current);
    if (this.lost) return Promise.reject(new KtxError('lost connection to pod'));
    return new Promise<Pod>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(onPod);
      };
      const onPod = (pod: Pod) => {
        done();
        resolve(pod);
      };
      const onAbort = () => {
        done();
        reject(new KtxError('port-forward stopped'));
      };
      const timer = setTimeout(() => {
        done();
        reject(new KtxError(`timed out waiting for a ready pod to replace ${this.lastName}`));
      }, timeoutMs);
      this.waiters.add(onPod);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Watches until `signal` aborts (or a named pod is lost). Watch failures are retried by the watcher. */
  async run(signal: AbortSignal): Promise<void> {
    const api = Api.namespaced(this.client, pods, this.namespace);
    const selector = this.target.selector;
    const config = selector !== undefined ? { labelSelector: selector } : { fieldSelector: `metadata.name=${nameOf(this.target.pod)}` };
    let known = new Map<string, Pod>();
    let staged = new Map<string, Pod>();
    for await (const ev of watcher(api, { ...config, signal })) {
      if (ev.type === 'Init') staged = new Map();
      else if (ev.type === 'InitApply') staged.set(nameOf(ev.object), ev.object);
      else if (ev.type === 'InitDone') known = staged;
      else if (ev.type === 'Apply') known.set(nameOf(ev.object), ev.object);
      else known.delete(nameOf(ev.object));
      if (ev.type === 'Init' || ev.type === 'InitApply') continue;
      if (selector === undefined ? this.checkNamed(known) : this.reselect(known)) return;
    }
  }

  /** A named pod: true (stop watching) once it is gone. */
  private checkNamed(known: Map<string, Pod>): boolean {
    const live = known.get(this.lastName);
    const uid = this.target.pod.metadata?.uid;
    const phase = live?.status?.phase;
    if (live && live.metadata?.uid === uid && phase !== 'Succeeded' && phase !== 'Failed') {
      this.current = live;
      return false;
    }
    this.current = undefined;
    this.lost = true;
    this.events.onLost?.(this.lastName);
    return true;
  }

  private reselect(known: Map<string, Pod>): boolean {
    const cur = this.current;
    const live = cur ? known.get(nameOf(cur)) : undefined;
    if (cur && live && live.metadata?.uid === cur.metadata?.uid && !live.metadata?.deletionTimestamp && live.status?.phase === 'Running') {
      this.current = live;
      return false;
    }
    const candidates = [...known.values()].filter((p) => p.status?.phase === 'Running' && isPodReady(p) && !p.metadata?.deletionTimestamp);
    const next = bestPod(candidates, byActivity);
    if (!next) {
      if (cur) {
        this.current = undefined;
        this.events.onWaiting?.(this.lastName);
      }
      return false;
    }
    const from = this.lastName;
    this.current = next;
    this.lastName = nameOf(next);
    this.events.onSwitch?.(from, next);
    for (const w of [...this.waiters]) w(next);
    return false;
  }
}
