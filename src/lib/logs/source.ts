// Which container logs a `logs` invocation reads: kubectl's LogsForObject, in a deterministic order.
import type { Readable } from 'node:stream';
import { Api } from '../api/api.js';
import type { LogParams } from '../api/params.js';
import type { Client } from '../client.js';
import { KtxError } from '../errors.js';
import { allContainerNames, DEFAULT_CONTAINER_ANNOTATION, findContainer } from '../targets/container.js';
import type { Pod } from '../types/core/v1.js';
import { pods } from '../types/resources.js';

/** One container's log: the stream a `logs` request reads. */
export interface LogSource {
  namespace: string;
  pod: string;
  /** The pod's UID, so that a new pod with the same name is told apart. */
  uid?: string;
  container: string;
}

/** Opens one container's log as a byte stream (the default is `GET …/pods/<pod>/log`). */
export type LogStreamFactory = (source: LogSource, params: LogParams) => Promise<Readable>;

/** The default {@link LogStreamFactory}: the `pods/log` subresource through `client`. */
export function apiLogStream(client: Client): LogStreamFactory {
  return (source, params) => Api.namespaced(client, pods, source.namespace).logStream(source.pod, params);
}

/** Which containers of a pod to read. */
export interface ContainerChoice {
  /** A container by name (`-c` or the legacy second argument). */
  container?: string;
  /** Every container: init containers, then regular ones, then ephemeral ones. */
  allContainers?: boolean;
  /** No `Defaulted container …` notice (kubectl stays quiet with `--all-pods`). */
  quiet?: boolean;
}

/** The containers {@link logContainers} picked, and the notices kubectl prints on stderr on the way. */
export interface PickedContainers {
  containers: string[];
  /** Lines for stderr (without newlines): `Defaulted container …`, `Default container name … not found …`. */
  notices: string[];
}

/**
 * The containers of `pod` whose logs a command reads, as kubectl's LogsForObject picks them:
 * every container with `allContainers` (init, regular, ephemeral, each in spec order; kubectl's
 * own order is random), else the named one (which must exist: `container x is not valid for pod
 * p`), else the `kubectl.kubernetes.io/default-container` annotation's (when that container
 * exists; otherwise a `Default container name … not found` notice), else the first container,
 * with a `Defaulted container …` notice when there were others to choose from.
 */
export function logContainers(pod: Pod, choice: ContainerChoice = {}): PickedContainers {
  const name = pod.metadata?.name ?? '';
  const spec = pod.spec;
  if (choice.allContainers) {
    const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
    return { containers, notices: [] };
  }
  const notices: string[] = [];
  let container = choice.container;
  if (!container) {
    const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    if (annotated) {
      if (findContainer(pod, annotated)) container = annotated;
      else notices.push(`Default container name ${JSON.stringify(annotated)} not found in pod ${name}`);
    }
  }
  if (!container) {
    const first = spec?.containers?.[0];
    if (!first) throw new KtxError(`pod ${pod.metadata?.namespace ?? ''}/${name} does not have any containers`);
    container = first.name;
    const others = (spec?.containers?.length ?? 0) > 1 || (spec?.initContainers?.length ?? 0) > 0 || (spec?.ephemeralContainers?.length ?? 0) > 0;
    if (others && !choice.quiet) notices.push(`Defaulted container ${JSON.stringify(container)} out of: ${allContainerNames(pod)}`);
  }
  if (!findContainer(pod, container)) throw new KtxError(`container ${container} is not valid for pod ${name}`);
  return { containers: [container], notices };
}

/** The sources of `pods` (in the given order) for a container choice, with the notices on the way. */
export function sourcesOf(podList: readonly Pod[], choice: ContainerChoice = {}): { sources: LogSource[]; notices: string[] } {
  const sources: LogSource[] = [];
  const notices: string[] = [];
  for (const pod of podList) {
    const picked = logContainers(pod, choice);
    notices.push(...picked.notices);
    for (const container of picked.containers) sources.push(podSource(pod, container));
  }
  return { sources, notices };
}

/** The source of one container of a pod. */
export function podSource(pod: Pod, container: string): LogSource {
  const uid = pod.metadata?.uid;
  return { namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '', ...(uid ? { uid } : {}), container };
}
