import { Api } from '../api/api.js';
import type { KubeObject } from '../api/resource.js';
import { ApiError, KtxError } from '../errors.js';
import type { Action } from './controller.js';

/** What the finalizer helper asks the reconciler to do. */
export type FinalizerEvent<K> = { type: 'apply'; object: K } | { type: 'cleanup'; object: K };

/** A step of {@link finalizer} failed; `step` says which. */
export class FinalizerError extends KtxError {
  override name = 'FinalizerError';
  constructor(
    readonly step: 'add' | 'remove' | 'apply' | 'cleanup',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Runs a reconcile behind a finalizer, as kube-rs's `finalizer()`:
 * - object live and the finalizer missing → add it (a JSON patch guarded by a `test` of the
 *   current list, so a concurrent change fails cleanly) and return; the change triggers the next
 *   reconcile;
 * - object live with the finalizer → `handle({ type: 'apply' })`;
 * - object being deleted with the finalizer → `handle({ type: 'cleanup' })`, then remove the
 *   finalizer (guarded the same way) so the apiserver can delete the object;
 * - object being deleted without it → nothing to do.
 * Errors from `handle` propagate unchanged (the controller's error policy sees them).
 */
export async function finalizer<K extends KubeObject>(
  api: Api<K>,
  name: string,
  object: K,
  handle: (event: FinalizerEvent<K>) => Promise<Action | void>,
): Promise<Action | void> {
  const objName = object.metadata?.name;
  if (!objName) throw new FinalizerError('add', 'the object has no metadata.name');
  const finalizers = object.metadata?.finalizers ?? [];
  const index = finalizers.indexOf(name);
  const scoped = api.namespace || !api.resource.namespaced ? api : new Api<K>(api.client, api.resource, object.metadata?.namespace);

  if (object.metadata?.deletionTimestamp) {
    if (index < 0) return;
    const result = await handle({ type: 'cleanup', object });
    try {
      await scoped.patch(objName, {
        type: 'json',
        ops: [
          { op: 'test', path: `/metadata/finalizers/${index}`, value: name },
          { op: 'remove', path: `/metadata/finalizers/${index}` },
        ],
      });
    } catch (err) {
      // Already gone (a stale cached copy triggered this run): the finalizer's job is done.
      if (err instanceof ApiError && err.isNotFound()) return result;
      throw new FinalizerError('remove', `could not remove finalizer ${name} from ${objName}: ${(err as Error).message}`, { cause: err });
    }
    return result;
  }

  if (index < 0) {
    const ops = object.metadata?.finalizers
      ? [
          { op: 'test', path: '/metadata/finalizers', value: finalizers },
          { op: 'add', path: '/metadata/finalizers/-', value: name },
        ]
      : [
          { op: 'test', path: '/metadata/finalizers', value: null },
          { op: 'add', path: '/metadata/finalizers', value: [name] },
        ];
    try {
      await scoped.patch(objName, { type: 'json', ops });
    } catch (err) {
      throw new FinalizerError('add', `could not add finalizer ${name} to ${objName}: ${(err as Error).message}`, { cause: err });
    }
    return {};
  }
  return handle({ type: 'apply', object });
}
