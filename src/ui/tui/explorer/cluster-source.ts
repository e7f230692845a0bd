// The explorer's ExplorerSource over a real cluster: Discovery for types, a watcher + Store +
// LiveRows per table (exactly what `ktx get -w` runs), and Api calls for the keys.
import { Api } from '../../../lib/api/api.js';
import type { ApiResource, KubeObject } from '../../../lib/api/resource.js';
import type { Client } from '../../../lib/client.js';
import type { Discovery } from '../../../lib/discovery/discovery.js';
import { startLiveFeed } from '../live-table/live-feed.js';
import { defaultContainer } from '../../../lib/targets/container.js';
import { podSelectorFor } from '../../../lib/targets/selector.js';
import type { Pod } from '../../../lib/types/index.js';
import type { ExplorerSource, LiveFeed, LogOptions, ObjectRef, ViewTarget } from './source.js';

export interface ClusterSourceOptions {
  client: Client;
  discovery: Discovery;
  namespace: string;
  context: string | undefined;
}

export class ClusterSource implements ExplorerSource {
  readonly context: string | undefined;
  readonly namespace: string;
  readonly #client: Client;
  readonly #discovery: Discovery;

  constructor(o: ClusterSourceOptions) {
    this.#client = o.client;
    this.#discovery = o.discovery;
    this.namespace = o.namespace;
    this.context = o.context;
  }

  async resolve(type: string): Promise<ApiResource> {
    const [first] = await this.#discovery.resolve(type);
    if (!first) throw new Error(`the server doesn't have a resource type "${type}"`);
    return first;
  }

  async resourceNames(): Promise<string[]> {
    const names = new Set<string>();
    for (const r of await this.#discovery.preferredResources()) {
      if (r.verbs && !r.verbs.includes('list')) continue;
      names.add(r.plural);
      if (r.singular) names.add(r.singular);
      for (const s of r.shortNames ?? []) names.add(s);
      if (r.group) names.add(`${r.plural}.${r.group}`);
    }
    return [...names].sort();
  }

  watch(target: ViewTarget): LiveFeed {
    const { rows, connection, stop, pump } = startLiveFeed({
      client: this.#client,
      resource: target.resource,
      namespace: target.resource.namespaced ? target.namespace : undefined,
      labelSelector: target.labelSelector,
      fieldSelector: target.fieldSelector,
    });
    return {
      rows,
      connection,
      dispose: () => {
        stop.abort();
        rows.dispose();
        void pump.catch(() => undefined);
      },
    };
  }

  #api(ref: ObjectRef): Api {
    return new Api(this.#client, ref.resource, ref.resource.namespaced ? ref.namespace : undefined);
  }

  get(ref: ObjectRef): Promise<KubeObject> {
    return this.#api(ref).get(ref.name);
  }

  async podSelector(ref: ObjectRef): Promise<string> {
    return podSelectorFor(ref.resource, await this.get(ref));
  }

  async delete(ref: ObjectRef): Promise<void> {
    await this.#api(ref).delete(ref.name);
  }

  async logs(ref: ObjectRef, opts: LogOptions, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const api = this.#api(ref);
    const pod = (await api.get(ref.name, { signal })) as Pod;
    const container = defaultContainer(pod).name;
    const stream = await api.logStream(ref.name, { container, follow: true, timestamps: opts.timestamps, tailLines: opts.tailLines ?? 200, signal });
    const onAbort = () => stream.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    let partial = '';
    try {
      for await (const chunk of stream) {
        const text = partial + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) onLine(line);
      }
      if (partial) onLine(partial);
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async restart(ref: ObjectRef): Promise<void> {
    await this.#api(ref).restart(ref.name);
  }

  async scale(ref: ObjectRef, delta: number): Promise<number> {
    const api = this.#api(ref);
    const current = await api.getScale(ref.name);
    const replicas = Math.max(0, (current.spec?.replicas ?? 0) + delta);
    await api.scale(ref.name, replicas);
    return replicas;
  }
}
