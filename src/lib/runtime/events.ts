import { hostname } from 'node:os';
import { randomInt } from 'node:crypto';
import { Api } from '../api/api.js';
import type { CallOptions } from '../api/params.js';
import { apiVersionOf, type ApiResource, type KubeObject } from '../api/resource.js';
import type { Client } from '../client.js';
import { ApiError } from '../errors.js';
import type { ObjectReference } from '../types/core/v1.js';
import type { Event as KubeEvent } from '../types/events/v1.js';
import { eventsEventsK8sIo } from '../types/resources.js';

/** `Event.type`: the only two values the apiserver accepts. */
export type EventType = 'Normal' | 'Warning';

/**
 * Who reports events: `Event.reportingController` and `Event.reportingInstance`.
 * `controller` must be a qualified name (`ktx-example`, `example.com/operator`).
 */
export interface Reporter {
  /** `reportingController`, e.g. `example.com/my-operator`. */
  controller: string;
  /** `reportingInstance` (at most 128 characters); defaults to `<controller>-<hostname>` as in client-go. */
  instance?: string;
}

/** What happened, as {@link Recorder.publish} takes it. All strings are meant for humans. */
export interface EventData {
  /** `Normal` for expected progress, `Warning` for something a human may need to look at. */
  type: EventType;
  /** Why the action was taken, short and UpperCamelCase (`Scaled`, `FailedCreate`); at most 128 characters. */
  reason: string;
  /** Human-readable detail; the apiserver limits it to 1 kB, longer notes are truncated. */
  note?: string;
  /** What the controller did or tried to do (`Reconciling`, `Scaling`); at most 128 characters. */
  action: string;
  /** `related`: an optional second object involved, e.g. the Pod a ReplicaSet created. */
  secondary?: ObjectReference;
}

/** Options for a {@link Recorder}. */
export interface RecorderOptions {
  /**
   * How long after the last occurrence a repeat still counts towards the same series (default
   * 6 minutes, client-go's and kube-rs's value).
   */
  seriesWindowMs?: number;
  /** The clock for `eventTime`, `series.lastObservedTime` and the series window (default `new Date()`). */
  now?: () => Date;
}

const DEFAULT_SERIES_WINDOW_MS = 6 * 60 * 1000;
const NOTE_LIMIT_BYTES = 1024;
const INSTANCE_LIMIT = 128;
const NAME_LIMIT = 253;
const SWEEP_INTERVAL_MS = 60 * 1000;

interface SeriesEntry {
  namespace: string;
  name: string;
  count: number;
  lastObserved: number;
}

/**
 * Publishes `events.k8s.io/v1` Events about objects, as kube-rs's `events::Recorder` and
 * client-go's `tools/events` recorder do; they show in `kubectl get events` and `kubectl
 * describe`.
 *
 * Each Event lives in the namespace of the object it is about (`regarding`), or in `default` for
 * cluster-scoped objects such as Nodes, and is named `<regarding name>.<hex timestamp>`.
 *
 * Repeats are aggregated into an `EventSeries`: an event with the same type, reason, action,
 * regarding and related object as one published less than the series window ago (6 minutes)
 * does not create a second Event; it patches the first one's `series.count` and
 * `series.lastObservedTime`, and the first occurrence's note stays. If that Event has meanwhile
 * been deleted (events expire, by default after an hour), a new one is created.
 *
 * The series cache lives in this object: keep one long-lived Recorder per controller rather than
 * one per reconcile, or every repeat becomes a new Event.
 */
export class Recorder {
  private readonly reporter: Required<Reporter>;
  private readonly windowMs: number;
  private readonly now: () => Date;
  private readonly series = new Map<string, SeriesEntry>();
  /** The last publish per series key, so that concurrent repeats patch in order instead of racing to create. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private lastSweep = 0;
  private lastNameStamp = 0n;

  constructor(
    private readonly client: Client,
    reporter: Reporter,
    options: RecorderOptions = {},
  ) {
    if (!reporter.controller) throw new TypeError('an event reporter needs a controller name');
    this.reporter = {
      controller: reporter.controller,
      instance: (reporter.instance || `${reporter.controller}-${hostname()}`).slice(0, INSTANCE_LIMIT),
    };
    this.windowMs = options.seriesWindowMs ?? DEFAULT_SERIES_WINDOW_MS;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records `event` about the object `regarding` (use {@link objectReference} to build one):
   * creates an Event, or counts a repeat into the existing one's series. Resolves with the Event
   * as stored; API failures (e.g. Forbidden: the controller needs `create` and `patch` on
   * `events.events.k8s.io`) reject, and the caller decides whether an event is worth failing for.
   */
  publish(event: EventData, regarding: ObjectReference, options: CallOptions = {}): Promise<KubeEvent> {
    if (!regarding.name) return Promise.reject(new TypeError('the regarding object reference has no name'));
    const key = seriesKey(event, regarding);
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.record(key, event, regarding, options));
    this.inFlight.set(key, current);
    const forget = () => {
      if (this.inFlight.get(key) === current) this.inFlight.delete(key);
    };
    current.then(forget, forget);
    return current;
  }

  private async record(key: string, event: EventData, regarding: ObjectReference, options: CallOptions): Promise<KubeEvent> {
    const now = this.now();
    const at = now.getTime();
    this.sweep(at);
    const entry = this.series.get(key);
    if (entry && at - entry.lastObserved < this.windowMs) {
      const count = entry.count + 1;
      try {
        const patched = await Api.namespaced(this.client, eventsEventsK8sIo, entry.namespace).patch(
          entry.name,
          { type: 'merge', body: { series: { count, lastObservedTime: microTime(now) } } },
          options,
        );
        this.series.set(key, { ...entry, count, lastObserved: at });
        return patched;
      } catch (err) {
        if (!(err instanceof ApiError && err.isNotFound())) throw err;
        this.series.delete(key);
      }
    }
    const created = await this.create(event, regarding, now, options);
    const { name, namespace } = created.metadata ?? {};
    if (name && namespace) this.series.set(key, { name, namespace, count: 1, lastObserved: at });
    return created;
  }

  private async create(event: EventData, regarding: ObjectReference, now: Date, options: CallOptions): Promise<KubeEvent> {
    const namespace = regarding.namespace || 'default';
    const api = Api.namespaced(this.client, eventsEventsK8sIo, namespace);
    for (let attempt = 1; ; attempt++) {
      const body: KubeEvent = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: this.eventName(regarding.name ?? '', now), namespace },
        eventTime: microTime(now),
        type: event.type,
        reason: event.reason,
        action: event.action,
        ...(event.note !== undefined ? { note: truncateUtf8(event.note, NOTE_LIMIT_BYTES) } : {}),
        regarding,
        ...(event.secondary ? { related: event.secondary } : {}),
        reportingController: this.reporter.controller,
        reportingInstance: this.reporter.instance,
      };
      try {
        return await api.create(body, options);
      } catch (err) {
        // Another recorder picked the same name in the same instant; a fresh stamp will not collide.
        if (attempt < 3 && err instanceof ApiError && err.isAlreadyExists()) continue;
        throw err;
      }
    }
  }

  /**
   * `<name>.<hex>` where hex is the time in nanoseconds, as client-go names events. The
   * sub-millisecond part is random (JavaScript clocks stop at milliseconds) and stamps only
   * increase within this recorder, so names do not collide. Regarding names that are not DNS
   * subdomains (RBAC objects may contain `:`) are made into one, or the apiserver would refuse
   * the Event.
   */
  private eventName(regardingName: string, now: Date): string {
    let stamp = BigInt(now.getTime()) * 1_000_000n + BigInt(randomInt(1_000_000));
    if (stamp <= this.lastNameStamp) stamp = this.lastNameStamp + 1n;
    this.lastNameStamp = stamp;
    const suffix = `.${stamp.toString(16)}`;
    const prefix =
      regardingName
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, '-')
        .slice(0, NAME_LIMIT - suffix.length)
        .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'object';
    return prefix + suffix;
  }

  private sweep(at: number): void {
    if (at - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = at;
    for (const [key, entry] of this.series) if (at - entry.lastObserved >= this.windowMs) this.series.delete(key);
  }
}

/**
 * An `ObjectReference` to `obj` for {@link Recorder.publish}: apiVersion, kind, namespace, name,
 * uid and resourceVersion. Objects from `list` carry no apiVersion/kind; pass their `resource`.
 */
export function objectReference(obj: KubeObject, resource?: Pick<ApiResource, 'group' | 'version' | 'kind'>): ObjectReference {
  const apiVersion = obj.apiVersion ?? (resource ? apiVersionOf(resource) : undefined);
  const kind = obj.kind ?? resource?.kind;
  const meta = obj.metadata ?? {};
  if (!apiVersion || !kind || !meta.name) throw new TypeError('an object reference needs apiVersion, kind and metadata.name');
  return {
    apiVersion,
    kind,
    name: meta.name,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    ...(meta.uid ? { uid: meta.uid } : {}),
    ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
  };
}

/**
 * The series identity. The object references leave out resourceVersion: it changes with every
 * write to the object, and an event repeated across reconciles is still the same series.
 */
function seriesKey(event: EventData, regarding: ObjectReference): string {
  const ref = (r: ObjectReference | undefined) => (r ? [r.apiVersion, r.kind, r.namespace, r.name, r.uid, r.fieldPath] : null);
  return JSON.stringify([event.type, event.reason, event.action, ref(regarding), ref(event.secondary)]);
}

/** RFC 3339 with microseconds, the `MicroTime` wire format. */
function microTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  // A multi-byte character split at the limit decodes to U+FFFD; drop it.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
