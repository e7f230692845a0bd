// Which container of a pod a command talks to: kubectl's podcmd.FindOrDefaultContainerByName.
import { KtxError } from '../errors.js';
import type { Container, EphemeralContainer, Pod } from '../types/core/v1.js';

/** The annotation that names the container kubectl picks when `-c` is not given (KEP-2227). */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** A container named in a pod, and which list it is in. */
export interface PodContainer {
  name: string;
  kind: 'container' | 'init' | 'ephemeral';
  spec: Container | EphemeralContainer;
}

/** A container by name among the pod's containers, then init containers, then ephemeral containers. */
export function findContainer(pod: Pod, name: string): PodContainer | undefined {
  const spec = pod.spec;
  const c = spec?.containers?.find((x) => x.name === name);
  if (c) return { name, kind: 'container', spec: c };
  const i = spec?.initContainers?.find((x) => x.name === name);
  if (i) return { name, kind: 'init', spec: i };
  const e = spec?.ephemeralContainers?.find((x) => x.name === name);
  if (e) return { name, kind: 'ephemeral', spec: e };
  return undefined;
}

/** Every container name as kubectl lists them: containers, then `x (ephem)`, then `x (init)`. */
export function allContainerNames(pod: Pod): string {
  const spec = pod.spec;
  return [
    ...(spec?.containers ?? []).map((c) => c.name),
    ...(spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
    ...(spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
  ].join(', ');
}

/** The chosen container, and the notice kubectl prints on stderr when it picked one of several. */
export interface DefaultedContainer extends PodContainer {
  /** `Defaulted container "c" out of: c, sidecar, init (init)` (no newline), when a choice was made silently. */
  notice?: string;
}

/**
 * The container a command uses, as kubectl chooses it: the `requested` one (which must exist:
 * `container x not found in pod p`), else the one the `kubectl.kubernetes.io/default-container`
 * annotation names (when it exists), else the first container. When that first container was
 * picked out of several (regular, init or ephemeral), `notice` carries kubectl's
 * `Defaulted container …` line; `-q` callers simply do not print it.
 */
export function defaultContainer(pod: Pod, requested?: string): DefaultedContainer {
  const podName = pod.metadata?.name ?? '';
  if (requested) {
    const found = findContainer(pod, requested);
    if (!found) throw new KtxError(`container ${requested} not found in pod ${podName}`);
    return found;
  }
  const containers = pod.spec?.containers ?? [];
  const first = containers[0];
  if (!first) throw new KtxError(`pod ${pod.metadata?.namespace ?? ''}/${podName} does not have any containers`);
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    const found = findContainer(pod, annotated);
    if (found) return found;
  }
  const several = containers.length > 1 || (pod.spec?.initContainers?.length ?? 0) > 0 || (pod.spec?.ephemeralContainers?.length ?? 0) > 0;
  return {
    name: first.name,
    kind: 'container',
    spec: first,
    ...(several ? { notice: `Defaulted container ${JSON.stringify(first.name)} out of: ${allContainerNames(pod)}` } : {}),
  };
}
