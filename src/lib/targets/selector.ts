// Which pods a workload or Service stands for: kubectl's polymorphichelpers.SelectorsForObject.
import type { ApiResource, KubeObject } from '../api/resource.js';
import { KtxError } from '../errors.js';
import type { LabelSelector } from '../types/meta/v1.js';

/** A workload or Service that cannot be turned into a pod label selector; the message is kubectl's. */
export class SelectorError extends KtxError {
  override name = 'SelectorError';
}

/**
 * A `metav1.LabelSelector` as the label-selector string the apiserver takes (apimachinery's
 * `LabelSelectorAsSelector(...).String()`): `matchLabels` as `k=v`, `In`/`NotIn` as
 * `k in (a,b)`/`k notin (a,b)`, `Exists` as `k`, `DoesNotExist` as `!k`, ANDed with commas and
 * sorted by key. An empty selector selects everything (`""`).
 */
export function labelSelectorString(selector: LabelSelector): string {
  const terms: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) terms.push([k, `${k}=${v}`]);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        terms.push([e.key, `${e.key} in (${values})`]);
        break;
      case 'NotIn':
        terms.push([e.key, `${e.key} notin (${values})`]);
        break;
      case 'Exists':
        terms.push([e.key, e.key]);
        break;
      case 'DoesNotExist':
        terms.push([e.key, `!${e.key}`]);
        break;
      default:
        throw new SelectorError(`invalid label selector: "${e.operator}" is not a valid label selector operator`);
    }
  }
  return terms
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, t]) => t)
    .join(',');
}

/** A map selector (`Service.spec.selector`, `ReplicationController.spec.selector`) as a selector string. */
export function mapSelectorString(selector: Record<string, string>): string {
  return labelSelectorString({ matchLabels: selector });
}

/** Kinds whose pods a `spec.selector` LabelSelector names (apps and batch workloads). */
const LABEL_SELECTOR_KINDS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', 'extensions/Deployment', 'extensions/ReplicaSet', 'extensions/DaemonSet']);

/** How kubectl names an object's Go type in messages: `*v1.ConfigMap`, or `*unstructured.Unstructured` for custom resources. */
function goTypeName(resource: ApiResource): string {
  const builtin = resource.group === '' || !resource.group.includes('.') || resource.group.endsWith('.k8s.io');
  return builtin ? `*${resource.version}.${resource.kind}` : '*unstructured.Unstructured';
}

/**
 * The label selector of the pods behind a workload or Service, as kubectl's `SelectorsForObject`:
 * `spec.selector` of Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs; the map selector
 * of ReplicationControllers and Services. A Service without a selector, or any other kind, fails
 * with kubectl's message (`cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented`).
 */
export function podSelectorFor(resource: ApiResource, object: KubeObject): string {
  const spec = (object as { spec?: { selector?: unknown } }).spec;
  if (LABEL_SELECTOR_KINDS.has(`${resource.group}/${resource.kind}`)) {
    return labelSelectorString((spec?.selector as LabelSelector | undefined) ?? {});
  }
  if (resource.group === '' && resource.kind === 'ReplicationController') {
    return mapSelectorString((spec?.selector as Record<string, string> | undefined) ?? {});
  }
  if (resource.group === '' && resource.kind === 'Service') {
    const selector = (spec?.selector as Record<string, string> | undefined) ?? {};
    if (Object.keys(selector).length === 0) {
      throw new SelectorError(`invalid service '${object.metadata?.name ?? ''}': Service is defined without a selector`);
    }
    return mapSelectorString(selector);
  }
  const type = goTypeName(resource);
  throw new SelectorError(`cannot attach to ${type}: selector for ${type} not implemented`);
}
