// A hand-written resource list in kubectl's priority order, shaped to exercise every resolution rule.
import type { ApiResource } from '../../src/lib/api/resource.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function res(
  gv: string,
  plural: string,
  kind: string,
  opts: { namespaced?: boolean; singular?: string; shortNames?: string[]; categories?: string[] } = {},
): ApiResource {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  return {
    group,
    version,
    kind,
    plural,
    namespaced: opts.namespaced ?? true,
    singular: opts.singular ?? kind.toLowerCase(),
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: ALL_VERBS,
  };
}

/** Core v1 first, then groups in "server order", each with its preferred version first. */
export const FIXTURE: ApiResource[] = [
  res('v1', 'pods', 'Pod', { shortNames: ['po'], categories: ['all'] }),
  res('v1', 'services', 'Service', { shortNames: ['svc'], categories: ['all'] }),
  res('v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('v1', 'endpoints', 'Endpoints', { singular: 'endpoints', shortNames: ['ep'] }),
  res('v1', 'nodes', 'Node', { namespaced: false, shortNames: ['no'] }),
  res('v1', 'namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'] }),
  // Subresources are not resource types, whatever a caller passes in.
  res('v1', 'pods/log', 'Pod'),
  res('apps/v1', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'] }),
  res('apps/v1', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'] }),
  res('events.k8s.io/v1', 'events', 'Event', { shortNames: ['ev'] }),
  res('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'] }),
  res('autoscaling/v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'] }),
  res('batch/v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'] }),
  // A CRD group whose preferred version v2 comes before v1, and whose kind is not its singular.
  res('toys.example.org/v2', 'widgets', 'GadgetThing', { singular: 'widget', shortNames: ['wd', 'Wd'], categories: ['toys'] }),
  res('toys.example.org/v1', 'widgets', 'GadgetThing', { singular: 'widget', shortNames: ['wd', 'Wd'], categories: ['toys'] }),
  res('toys.example.org/v1', 'robots', 'Robot', { namespaced: false, categories: ['toys'] }),
  // A later group claiming the short names `cj` and `wd` again: lower priority, hence ambiguous.
  res('acme.io/v1', 'cronjobs', 'CronJob', { shortNames: ['cj'] }),
  res('acme.io/v1', 'wands', 'Wand', { shortNames: ['wd'] }),
];
