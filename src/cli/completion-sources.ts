// Completion values from the real kubeconfig and cluster. Everything is loaded on first use, so
// completing a context name never opens a connection.
import { Api } from '../lib/api/api.js';
import type { ApiResource } from '../lib/api/resource.js';
import { loadKubeconfig, type Kubeconfig } from '../lib/config/kubeconfig.js';
import type { CompletionSources } from './completion.js';
import type { GlobalFlags } from './global-flags.js';
import type { Session } from './session.js';

// kubectl's completion asks the server with a 5 second request timeout.
const COMPLETION_REQUEST_TIMEOUT = '5s';

const NAMESPACES: ApiResource = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false };

const byGroupThenName = (a: ApiResource, b: ApiResource) => (a.group === b.group ? a.plural.localeCompare(b.plural) : a.group.localeCompare(b.group));

/** Sources for the cluster and namespace the completed command line would use; `allNamespaces` is `-A`. */
export function clusterSources(flags: GlobalFlags, allNamespaces = false): CompletionSources {
  let kubeconfig: Promise<Kubeconfig> | undefined;
  let session: Promise<Session> | undefined;
  const loadConfig = () => (kubeconfig ??= loadKubeconfig({ kubeconfig: flags.kubeconfig }));
  // The client stack is the slow import; only completions that reach the cluster load it.
  const open = () =>
    (session ??= import('./session.js').then(({ openSession }) =>
      openSession({ ...flags, 'request-timeout': flags['request-timeout'] ?? COMPLETION_REQUEST_TIMEOUT }),
    ));
  const entryNames = (list: 'contexts' | 'clusters' | 'users') => async () => (await loadConfig()).config[list].map((e) => e.name).sort();
  const names = async (api: Api) => (await api.list({ metadataOnly: true })).items.map((o) => o.metadata?.name ?? '').filter(Boolean);
  return {
    contexts: entryNames('contexts'),
    clusters: entryNames('clusters'),
    users: entryNames('users'),
    namespaces: async () => names(Api.cluster((await open()).client, NAMESPACES)),
    resourceTypes: async () => {
      const resources = await (await open()).discovery.preferredResources();
      return resources
        .filter((r) => r.verbs?.includes('get'))
        .sort(byGroupThenName)
        .map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural));
    },
    resourceNames: async (type) => {
      const s = await open();
      const [resource] = await s.discovery.resolve(type);
      if (!resource) return [];
      const api = !resource.namespaced || allNamespaces ? Api.all(s.client, resource) : Api.namespaced(s.client, resource, s.namespace);
      return names(api);
    },
  };
}
