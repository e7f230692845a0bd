// The greeting controller: for every Greeting it keeps a ConfigMap `greeting-<name>` holding the
// greeting text, owned by the Greeting, and reports what it did in the Greeting's status and in
// Events. Read top to bottom: wiring (runGreetingController), then one reconcile.
import {
  Action,
  Api,
  ApiError,
  configMaps,
  Controller,
  finalizer,
  FinalizerError,
  objectReference,
  Recorder,
  type Client,
  type ControllerConfig,
  type EventData,
  type OwnerReference,
  type ReconcileReason,
} from 'ktx';
import { Greeting } from './greeting.js';

/** The controller's name: its server-side apply field manager and the reporter of its Events. */
export const CONTROLLER_NAME = 'greeting-controller';
/** Held by every Greeting the controller has seen, so that deleting one waits for the cleanup. */
export const FINALIZER = 'examples.ktx.dev/cleanup';
/** On every ConfigMap the controller writes; the controller only watches ConfigMaps with it. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': CONTROLLER_NAME };

/** One finished reconcile, as {@link GreetingControllerOptions.onReconcile} receives it. */
export interface ReconcileReport {
  name: string;
  namespace: string;
  /** Why it ran: the Greeting changed, its ConfigMap changed, or a retry after an error. */
  reason: ReconcileReason;
  /** Consecutive failures of this Greeting before this attempt. */
  failures: number;
  startedAt: number;
  finishedAt: number;
  /** Only when the attempt failed: the error, and in how many ms the controller tries again. */
  error?: unknown;
  retryInMs?: number;
}

export interface GreetingControllerOptions {
  /** Only reconcile Greetings in this namespace; all namespaces when omitted. */
  namespace?: string;
  /** Stops the controller: watches end, running reconciles finish, then the returned promise resolves. */
  signal: AbortSignal;
  /** Every finished reconcile, for logs and tests. */
  onReconcile?: (report: ReconcileReport) => void;
  /** Problems that do not stop the controller: dropped watches, Events or statuses it could not write. */
  onError?: (error: unknown) => void;
  /** Retry delays after failed reconciles (default from 1 s, doubling up to 5 min, with jitter). */
  errorBackoff?: ControllerConfig['errorBackoff'];
}

/** What a reconcile needs besides the Greeting: built once per controller run. */
interface Context {
  client: Client;
  /** One long-lived Recorder: it folds repeats of an Event into one Event's `series` only within itself. */
  recorder: Recorder;
  onError: (error: unknown) => void;
}

/**
 * Runs the greeting controller until `options.signal` aborts, then shuts down gracefully and
 * resolves. Nothing is reconciled until the Greetings and ConfigMaps are cached (the first list).
 */
export async function runGreetingController(client: Client, options: GreetingControllerOptions): Promise<void> {
  const { namespace, signal, onReconcile } = options;
  const onError = options.onError ?? (() => undefined);
  const context: Context = { client, recorder: new Recorder(client, { controller: CONTROLLER_NAME }), onError };

  // One namespace, or list/watch across all of them: the rest of the code is the same either way.
  const greetings = namespace ? Greeting.api(client, namespace) : Greeting.allNamespaces(client);
  const ownedConfigMaps = namespace ? Api.namespaced(client, configMaps, namespace) : Api.all(client, configMaps);

  // The reason and start of the reconcile now running for each Greeting, for the report. A
  // Greeting never reconciles twice at once, so one entry per key is enough.
  const running = new Map<string, { reason: ReconcileReason; failures: number; startedAt: number }>();
  const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

  const controller = new Controller(greetings, {
    ...(options.errorBackoff ? { errorBackoff: options.errorBackoff } : {}),
    onWatchError: onError,
    onReconciled: (ref, outcome) => {
      const key = keyOf(ref.namespace, ref.name);
      const start = running.get(key);
      running.delete(key);
      if (!start || !onReconcile) return;
      const failed = outcome.ok ? {} : { error: outcome.error, retryInMs: outcome.retryInMs };
      onReconcile({ name: ref.name, namespace: ref.namespace ?? '', ...start, finishedAt: Date.now(), ...failed });
    },
  })
    // A change to a ConfigMap whose ownerReferences name a Greeting (an edit, or its deletion)
    // reconciles that Greeting, which puts the ConfigMap right again. The label selector keeps
    // other ConfigMaps out of the cache.
    .owns(ownedConfigMaps, { labelSelector: labelSelector(MANAGED_BY_LABEL) });

  await controller.run(
    (greeting, ctx) => {
      running.set(keyOf(greeting.metadata.namespace, greeting.metadata.name ?? ''), { reason: ctx.reason, failures: ctx.failures, startedAt: Date.now() });
      return reconcile(greeting, context);
    },
    // No error policy: a failed reconcile is retried with the controller's per-object exponential backoff.
    undefined,
    { signal },
  );
}

/**
 * One reconcile: bring the cluster in line with the Greeting, whatever triggered it (the reason
 * is for logs; a reconcile must not depend on it). Behind a finalizer, so that a Greeting being
 * deleted gets a `cleanup` instead of an `apply` and only goes away once the cleanup succeeded.
 */
async function reconcile(greeting: Greeting, context: Context): Promise<Action | void> {
  const api = Greeting.api(context.client, greeting.metadata.namespace);
  try {
    return await finalizer(api, FINALIZER, greeting, (event) => (event.type === 'apply' ? apply(event.object, context) : cleanup(event.object, context)));
  } catch (error) {
    // The Greeting is already gone (say, a run the cache had not caught up with removed the finalizer): nothing left to do.
    if (error instanceof FinalizerError && error.cause instanceof ApiError && error.cause.isNotFound()) return Action.awaitChange();
    await reportFailure(greeting, error, context);
    throw error; // the controller retries this Greeting after a growing delay
  }
}

/** The Greeting exists: write its ConfigMap and record the outcome in its status. */
async function apply(greeting: Greeting, context: Context): Promise<Action> {
  const { name = '', namespace = '', generation } = greeting.metadata;
  if (greeting.spec.fail) throw new Error('spec.fail is set, so this reconcile fails');

  const configMapName = `greeting-${name}`;
  const text = `${greeting.spec.message ?? 'Hello'}, ${greeting.spec.name}!`;
  const cms = Api.namespaced(context.client, configMaps, namespace);
  // Read first only to tell the Event what changed; the apply below is correct without it.
  const before = await cms.getOpt(configMapName);
  // Server-side apply states the whole intent of this field manager; `force` takes fields over
  // from anyone who edited them by hand. Applying an unchanged intent writes nothing.
  await cms.apply(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName, namespace, labels: MANAGED_BY_LABEL, ownerReferences: [controllerReference(greeting)] },
      data: { greeting: text },
    },
    { fieldManager: CONTROLLER_NAME, force: true },
  );
  if (before?.data?.greeting !== text) {
    await publish(context, greeting, {
      type: 'Normal',
      reason: 'Reconciled',
      action: 'Reconciling',
      note: `${before ? 'Updated' : 'Created'} ConfigMap ${configMapName}: "${text}"`,
    });
  }

  const status = { phase: 'Ready', configMap: configMapName, observedGeneration: generation } as const;
  const current = greeting.status;
  // Skip the write when the status already says so: every status write is a change the
  // controller's own watch sees, and so another reconcile.
  if (current?.phase !== status.phase || current.configMap !== status.configMap || current.observedGeneration !== generation || current.message) {
    await applyStatus(context, greeting, status);
  }
  // The ConfigMap is watched (owns), so there is no need to come back on a timer.
  return Action.awaitChange();
}

/**
 * The Greeting is being deleted. Its ConfigMap would also be garbage-collected through the
 * ownerReference, but only after the Greeting is gone; a finalizer is how a controller does work
 * before that (deregistering from an external system, say). Here: delete the ConfigMap now.
 */
async function cleanup(greeting: Greeting, context: Context): Promise<Action> {
  const { name = '', namespace = '' } = greeting.metadata;
  try {
    await Api.namespaced(context.client, configMaps, namespace).delete(`greeting-${name}`);
  } catch (error) {
    if (!(error instanceof ApiError && error.isNotFound())) throw error;
  }
  return Action.awaitChange();
}

/**
 * A reconcile failed: say so where users look (status and a Warning Event), best-effort, since the
 * error itself is what matters and the controller retries anyway. The Recorder folds the repeats
 * into one Event whose series count grows. The status stays the same across retries, so writing
 * it again changes nothing; only the first failure's status write is a change, which the
 * controller's watch sees and answers with one immediate retry before the backoff takes over.
 */
async function reportFailure(greeting: Greeting, error: unknown, context: Context): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await publish(context, greeting, { type: 'Warning', reason: 'ReconcileFailed', action: 'Reconciling', note: message });
  if (greeting.metadata.deletionTimestamp) return;
  const { configMap } = greeting.status ?? {};
  await applyStatus(context, greeting, {
    phase: 'Failing',
    observedGeneration: greeting.metadata.generation,
    message,
    ...(configMap ? { configMap } : {}),
  }).catch(context.onError);
}

/**
 * Server-side applies the Greeting's status through the status subresource. The applied status
 * is this field manager's whole intent: fields it set before and leaves out now (`message` once
 * the Greeting is Ready again) are removed.
 */
function applyStatus(context: Context, greeting: Greeting, status: NonNullable<Greeting['status']>): Promise<Greeting> {
  const { name = '', namespace } = greeting.metadata;
  return Greeting.api(context.client, namespace).patchStatus(
    name,
    { type: 'apply', body: { apiVersion: Greeting.apiVersion, kind: Greeting.resource.kind, metadata: { name, namespace }, status } },
    { fieldManager: CONTROLLER_NAME, force: true },
  );
}

/**
 * Publishes an Event about the Greeting. Events are for humans: one that cannot be recorded (say,
 * the namespace is being deleted) must not fail the reconcile. As in client-go, a repeat of the
 * same type, reason and action within minutes counts into the first Event, whose note stays.
 */
async function publish(context: Context, greeting: Greeting, event: EventData): Promise<void> {
  try {
    await context.recorder.publish(event, objectReference(greeting, Greeting.resource));
  } catch (error) {
    context.onError(error);
  }
}

/**
 * The ownerReference that makes the Greeting the managing controller of an object: the garbage
 * collector deletes the object once the Greeting is gone (and, with blockOwnerDeletion, a
 * foreground deletion of the Greeting waits for it), and `Controller.owns` maps the object's
 * changes back to the Greeting.
 */
function controllerReference(greeting: Greeting): OwnerReference {
  const { name = '', uid = '' } = greeting.metadata;
  return { apiVersion: Greeting.apiVersion, kind: Greeting.resource.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
