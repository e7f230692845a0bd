/**
 * Whole-object output: `-o json`, `-o yaml`, `-o name`, and the List wrapper kubectl prints
 * around several objects.
 */
import { marshalGoJson } from './gojson.js';
import { throughYamlParser } from './yaml-json.js';
import { marshalGoYaml } from './yaml.js';

/**
 * `kubectl -o json`: encoding/json's MarshalIndent with a 4-space indent: keys sorted at every
 * level, `<`, `>`, `&` escaped as \u003c, \u003e, \u0026, and a trailing newline.
 */
export function toJson(obj: unknown): string {
  return `${marshalGoJson(obj, '    ')}\n`;
}

/**
 * `kubectl -o yaml` (sigs.k8s.io/yaml over go-yaml v2): see yaml.ts for the rules. Throws
 * go-yaml's error (e.g. `yaml: control characters are not allowed`) where kubectl fails.
 */
export function toYaml(obj: unknown): string {
  return marshalGoYaml(throughYamlParser(obj));
}

/** Removes `metadata.managedFields`, from the object or from each item of a List (a copy). */
export function stripManagedFields<T>(obj: T): T {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  const o = obj as Record<string, unknown>;
  let out: Record<string, unknown> = o;
  const meta = o.metadata;
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta) && 'managedFields' in meta) {
    const { managedFields: _dropped, ...rest } = meta as Record<string, unknown>;
    out = { ...out, metadata: rest };
  }
  if (Array.isArray(o.items)) out = { ...out, items: o.items.map((item: unknown) => stripManagedFields(item)) };
  return out as T;
}

/** The List kubectl prints for several objects: `{"apiVersion":"v1","items":[…],"kind":"List","metadata":{"resourceVersion":""}}`. */
export function asList(items: unknown[]): object {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** NamePrinter's `<lower(kind)>[.<group>]/<name>`: `pod/a`, `deployment.apps/web`. */
export function resourceName(kind: string, group: string, name: string): string {
  return group ? `${kind.toLowerCase()}.${group}/${name}` : `${kind.toLowerCase()}/${name}`;
}
