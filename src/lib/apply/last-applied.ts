import type { KubeObject } from '../api/resource.js';
import { goJson } from './go-json.js';

/** The annotation in which client-side apply keeps the configuration it applied last. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The annotation value kubectl writes for a manifest: the object without this annotation (but
 * with `metadata.annotations` present, `{}` when it had none) as Go-style compact JSON with
 * sorted keys, followed by a newline. Byte-identical values let ktx and kubectl take turns on the
 * same object without either seeing a change.
 */
export function lastAppliedConfiguration(obj: KubeObject): string {
  const copy = structuredClone(obj);
  const metadata = (copy.metadata ??= {});
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  metadata.annotations = annotations;
  return `${goJson(copy)}\n`;
}

/**
 * The manifest as client-side apply sends it (kubectl's "modified" configuration): the object
 * with the last-applied annotation set to {@link lastAppliedConfiguration} of itself.
 */
export function withLastApplied(obj: KubeObject): KubeObject {
  const value = lastAppliedConfiguration(obj);
  const copy = structuredClone(obj);
  const metadata = (copy.metadata ??= {});
  metadata.annotations = { ...(metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: value };
  return copy;
}

/** The configuration last applied to a live object (parsed from its annotation), or undefined. */
export function originalConfiguration(live: KubeObject): Record<string, unknown> | undefined {
  const text = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * The manifest as kubectl diff patches with it: the annotation removed and `metadata.annotations`
 * present (kubectl's GetModifiedConfiguration without annotating).
 */
export function withoutLastApplied(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  const metadata = (copy.metadata ??= {});
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED_ANNOTATION];
  metadata.annotations = annotations;
  return copy;
}
