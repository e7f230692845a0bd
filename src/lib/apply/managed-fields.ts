import type { KubeObject } from '../api/resource.js';

/** One `metadata.managedFields` entry. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

const LAST_APPLIED_PATH = ['f:metadata', 'f:annotations', 'f:kubectl.kubernetes.io/last-applied-configuration'];

function owns(entry: ManagedFieldsEntry, path: string[]): boolean {
  let node: unknown = entry.fieldsV1;
  for (const p of path) {
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[p];
  }
  return node !== undefined;
}

/** Union of two FieldsV1 trees (sets of field paths), children sorted with `.` first as the apiserver writes them. */
function unionFields(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): Record<string, unknown> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (x === '.' ? -1 : y === '.' ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = unionFields(a[k] as Record<string, unknown> | undefined, b[k] as Record<string, unknown> | undefined);
  return out;
}

/**
 * The JSON patch that hands the fields of client-side-apply managers over to a server-side apply
 * manager (kubectl's csaupgrade), or undefined when there is nothing to migrate.
 *
 * Without it, fields once set by client-side apply stay owned by that `Update` manager, and
 * removing them from the manifest would not delete them on the next server-side apply. The
 * managers migrated are those whose `Update` entry owns the last-applied annotation; their
 * entries are merged into `ssaManager`'s `Apply` entry (or converted into it) and removed. The
 * patch also replaces `metadata.resourceVersion`, so a concurrent change makes it fail with 409.
 */
export function migrateClientSideManagersPatch(obj: KubeObject, ssaManager: string): Array<{ op: string; path: string; value: unknown }> | undefined {
  const original = (obj.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const csaManagers = [...new Set(original.filter((e) => e.operation === 'Update' && !e.subresource && owns(e, LAST_APPLIED_PATH)).map((e) => e.manager ?? ''))];
  if (csaManagers.length === 0) return undefined;
  let entries = structuredClone(original);
  for (const csa of csaManagers) {
    const isCsa = (e: ManagedFieldsEntry) => e.manager === csa && e.operation === 'Update' && !e.subresource;
    let target = entries.findIndex((e) => e.manager === ssaManager && e.operation === 'Apply' && !e.subresource);
    if (target < 0) {
      target = entries.findIndex(isCsa);
      if (target < 0) continue;
      entries[target] = { ...entries[target]!, operation: 'Apply', manager: ssaManager };
    }
    const ssa = entries[target]!;
    const source = entries.find((e) => isCsa(e) && e.apiVersion === ssa.apiVersion);
    ssa.fieldsV1 = unionFields(ssa.fieldsV1, source?.fieldsV1);
    entries = entries.filter((e) => !isCsa(e));
  }
  if (JSON.stringify(entries) === JSON.stringify(original)) return undefined;
  return [
    { op: 'replace', path: '/metadata/managedFields', value: entries },
    { op: 'replace', path: '/metadata/resourceVersion', value: obj.metadata?.resourceVersion ?? '' },
  ];
}
