import type { KubeObject } from '../api/resource.js';
import { KtxError } from '../errors.js';

/** A manifest's namespace disagrees with an explicit `--namespace` (kubectl's text, verbatim). */
export class NamespaceMismatchError extends KtxError {
  override name = 'NamespaceMismatchError';
  constructor(
    readonly objectNamespace: string,
    readonly namespace: string,
  ) {
    super(
      `the namespace from the provided object "${objectNamespace}" does not match the namespace "${namespace}". You must pass '--namespace=${objectNamespace}' to perform this operation.`,
    );
  }
}

/**
 * The object as it will be sent, with kubectl's namespace rules: a namespaced object without a
 * namespace gets `namespace` (written into the object, so the last-applied annotation records
 * it); with `enforce` (an explicit `-n`) a different namespace is an error. Cluster-scoped
 * objects are left alone. The input is not modified.
 */
export function assignNamespace(obj: KubeObject, namespaced: boolean, namespace: string, enforce: boolean): KubeObject {
  if (!namespaced) return obj;
  const own = obj.metadata?.namespace;
  if (!own) return { ...obj, metadata: { ...(obj.metadata ?? {}), namespace } };
  if (enforce && own !== namespace) throw new NamespaceMismatchError(own, namespace);
  return obj;
}
