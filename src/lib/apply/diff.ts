import type { ApiResource, KubeObject } from '../api/resource.js';

/**
 * The file name kubectl diff gives an object in its LIVE-* and MERGED-* directories:
 * `[<group>.]<version>.<Kind>.<namespace>.<name>` (the namespace is empty for cluster-scoped kinds).
 */
export function diffFileName(resource: Pick<ApiResource, 'group' | 'version' | 'kind'>, namespace: string, name: string): string {
  return `${resource.group ? `${resource.group}.` : ''}${resource.version}.${resource.kind}.${namespace}.${name}`;
}

/** The object without `metadata.managedFields` (a copy), as diff shows it unless asked otherwise. */
export function withoutManagedFields(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj?.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function dataOf(obj: KubeObject | undefined): Record<string, unknown> | undefined {
  const data = (obj as { data?: unknown } | undefined)?.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? { ...(data as Record<string, unknown>) } : undefined;
}

/**
 * Hides Secret values the way kubectl diff does: every `data` value becomes `***`, except that
 * a key whose value differs between the two sides becomes `*** (before)` / `*** (after)`, so the
 * diff still shows that it changed. Returns masked copies.
 */
export function maskSecretData(from: KubeObject | undefined, to: KubeObject | undefined): { from: KubeObject | undefined; to: KubeObject | undefined } {
  const a = dataOf(from);
  const b = dataOf(to);
  if (a) {
    for (const k of Object.keys(a)) {
      if (b && Object.hasOwn(b, k)) {
        if (a[k] !== b[k]) {
          a[k] = '*** (before)';
          b[k] = '*** (after)';
          continue;
        }
        b[k] = '***';
      }
      a[k] = '***';
    }
  }
  if (b) for (const k of Object.keys(b)) if (!a || !Object.hasOwn(a, k)) b[k] = '***';
  return { from: a && from ? { ...from, data: a } : from, to: b && to ? { ...to, data: b } : to };
}

/** True for core v1 Secrets, whose data diff masks. */
export function isSecret(obj: KubeObject | undefined): boolean {
  return obj?.apiVersion === 'v1' && obj.kind === 'Secret';
}
