// The explorer's ExplorerSource over a real cluster: Discovery for types, a watcher + Store +
// LiveRows per table (exactly what `ktx get -w` runs), and Api calls for the keys.
import { Api } from '../../../lib/api/api.js';
import { Client as KubeClient } from '../../../lib/client.js';
import { Config } from '../../../lib/config/config.js';
import { Discovery as KubeDiscovery } from '../../../lib/discovery/discovery.js';
import { KtxError } from '../../../lib/errors.js';
import { events as EVENTS, namespaces as NAMESPACES } from '../../../lib/types/resources.js';
import type { DescribeEvent } from '../../print/describe.js';
import type { ApiResource, KubeObject } from '../../../lib/api/resource.js';
import type { Client } from '../../../lib/client.js';
import type { Discovery } from '../../../lib/discovery/discovery.js';
import { startLiveFeed } from '../live-table/live-feed.js';
import { defaultContainer } from '../../../lib/targets/container.js';
import { podSelectorFor } from '../../../lib/targets/selector.js';
import type { Pod } from '../../../lib/types/index.js';
import type { ExplorerSource, LiveFeed, LogOptions, ObjectRef, ViewTarget } from './source.js';
import { joinHostPort } from '../../../lib/streaming/port-specs.js';
import { resolvePodTarget, type PodTarget } from '../../../lib/targets/resolve.js';
import type { PodTemplateSpec, Service } from '../../../lib/types/index.js';
import { PortForwards, type ForwardInfo } from './port-forwards.js';
import type { TerminalTask } from './suspend.js';

/** k9s's shell: bash where the image has it, sh otherwise. */
const SHELL_COMMAND = ['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'];
/** How long `s` and `f` wait for a workload's pod to run (kubectl waits a minute; a UI should answer sooner). */
const POD_RUNNING_TIMEOUT_MS = 10_000;

export interface ClusterSourceOptions {
  client: Client;
  discovery: Discovery;
  namespace: string;
  context: string | undefined;
  /** The session's configuration: its kubeconfig lists the contexts `:ctx` switches between. */
  config?: Config;
  /**
   * Opens a session on another context with the command line's other flags (cache dir,
   * impersonation, request logging); without it, a plain client from the kubeconfig.
   */
  openContext?: (name: string) => Promise<{ client: Client; discovery: Discovery; config: Config }>;
}

export class ClusterSource implements ExplorerSource {
  // Not readonly: `:ctx NAME` points the whole source at another context.
  context: string | undefined;
  namespace: string;
  #client: Client;
  #discovery: Discovery;
  readonly #config: Config | undefined;
  readonly #openContext: ClusterSourceOptions['openContext'];
  readonly forwards = new PortForwards();

  constructor(o: ClusterSourceOptions) {
    this.#client = o.client;
    this.#discovery = o.discovery;
    this.namespace = o.namespace;
    this.context = o.context;
    this.#config = o.config;
    this.#openContext = o.openContext;
  }

  async contexts(): Promise<string[]> {
    return (this.#config?.kubeconfig?.config.contexts ?? []).map((c) => c.name).sort();
  }

  async switchContext(name: string): Promise<void> {
    const kubeconfig = this.#config?.kubeconfig;
    if (!kubeconfig?.context(name)) throw new KtxError(`context "${name}" does not exist`);
    let client: Client, discovery: Discovery, config: Config;
    if (this.#openContext) ({ client, discovery, config } = await this.#openContext(name));
    else {
      config = await Config.fromKubeconfig(kubeconfig, { context: name });
      client = new KubeClient(config);
      discovery = KubeDiscovery.forClient(client);
    }
    this.#client = client;
    this.#discovery = discovery;
    this.namespace = config.namespace;
    this.context = config.contextName ?? name;
  }

  async namespaces(): Promise<string[]> {
    try {
      const list = await new Api(this.#client, NAMESPACES).list({ metadataOnly: true });
      return list.items.map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
    } catch {
      // A user who may not list namespaces still completes the ones they have visited.
      return [];
    }
  }

  async events(ref: ObjectRef, uid: string): Promise<DescribeEvent[]> {
    const namespace = ref.resource.namespaced ? ref.namespace : undefined;
    const list = await new Api(this.#client, EVENTS, namespace).list({ fieldSelector: `involvedObject.uid=${uid}` });
    return list.items as DescribeEvent[];
  }

  async containers(ref: ObjectRef): Promise<string[]> {
    const pod = (await this.get(ref)) as Pod;
    return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
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
    const container = defaultContainer(pod, opts.container).name;
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

  /** The pod behind a ref as `ktx exec`/`ktx port-forward TYPE/NAME` choose it. */
  #podTarget(ref: ObjectRef): Promise<PodTarget> {
    const r = ref.resource;
    const type = r.group ? `${r.plural}.${r.group}` : r.plural;
    return resolvePodTarget(this.#client, ref.namespace ?? this.namespace, `${type}/${ref.name}`, { discovery: this.#discovery, podRunningTimeoutMs: POD_RUNNING_TIMEOUT_MS });
  }

  async shell(ref: ObjectRef): Promise<TerminalTask<number>> {
    const { pod } = await this.#podTarget(ref);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new KtxError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = defaultContainer(pod).name;
    const namespace = pod.metadata?.namespace ?? ref.namespace ?? this.namespace;
    const name = pod.metadata?.name ?? '';
    const client = this.#client;
    const { exec } = await import('../../../lib/streaming/exec.js');
    return async (t) => {
      t.stdout.write(`ktx: shell in pod ${name} (${namespace}), container ${container}; exit it to return to the explorer\n`);
      const result = await exec(client, { namespace, pod: name, container, command: SHELL_COMMAND, stdin: t.stdin, stdout: t.stdout, tty: true, terminalSize: t.stdout, signal: t.signal });
      return result.exitCode;
    };
  }

  async edit(ref: ObjectRef): Promise<TerminalTask<string>> {
    const obj = await this.get(ref);
    const { editing, launchEditor, runEditLoop } = await import('../../edit-loop.js');
    const client = this.#client;
    const namespace = ref.namespace ?? this.namespace;
    return async (t) => {
      const done: string[] = [];
      // Where kept changes went is worth repeating in the message line: the terminal it was printed on is gone.
      const kept: string[] = [];
      let failed: Error[];
      try {
        failed = await runEditLoop({
          client,
          namespace,
          objects: [editing(ref.resource, obj)],
          out: (line) => done.push(line),
          err: (text) => {
            t.stderr.write(text);
            if (/ (stored|saved) to "/.test(text)) kept.push(text.trim());
          },
          editor: (path) => launchEditor(path, t.signal),
        });
      } catch (err) {
        if (kept.length === 0) throw err;
        throw new KtxError(`${err instanceof Error ? err.message : String(err)} ${kept.join(' ')}`, { cause: err });
      }
      if (failed.length) throw new KtxError(failed.map((e) => e.message).join('; '));
      return done.join(', ');
    };
  }

  async suggestPorts(ref: ObjectRef): Promise<string | undefined> {
    const obj = await this.get(ref);
    const r = ref.resource;
    if (r.group === '' && r.kind === 'Service') {
      const port = (obj as Service).spec?.ports?.find((p) => (p.protocol ?? 'TCP') === 'TCP');
      return port ? `${port.port}:${port.port}` : undefined;
    }
    // A pod, or a workload's pod template; its default container's ports first.
    const pod: Pod = r.group === '' && r.kind === 'Pod' ? (obj as Pod) : ((obj as { spec?: { template?: PodTemplateSpec } }).spec?.template ?? {});
    const containers = pod.spec?.containers ?? [];
    if (containers.length === 0) return undefined;
    const first = defaultContainer(pod).name;
    const ordered = [...containers.filter((c) => c.name === first), ...containers.filter((c) => c.name !== first)];
    const port = ordered.flatMap((c) => c.ports ?? []).find((p) => (p.protocol ?? 'TCP') === 'TCP');
    return port ? `${port.containerPort}:${port.containerPort}` : undefined;
  }

  async portForward(ref: ObjectRef, spec: string): Promise<ForwardInfo> {
    const target = await this.#podTarget(ref);
    const { PortForwarder } = await import('../../../lib/streaming/port-forwarder.js');
    const notices: string[] = [];
    const forwarder = new PortForwarder(this.#client, {
      target,
      ports: [spec],
      addresses: ['localhost'],
      podRunningTimeoutMs: POD_RUNNING_TIMEOUT_MS,
      onNotice: (line) => notices.push(line),
    });
    try {
      await forwarder.start();
    } catch (err) {
      // `unable to listen on any of the requested ports` says less than the notice before it.
      const why = notices.find((n) => n.startsWith('Unable to listen'));
      throw why ? new KtxError(why, { cause: err }) : err;
    }
    const listeners = forwarder.listeners;
    const main = listeners.find((l) => !l.address.includes(':')) ?? listeners[0]!;
    return this.forwards.add(
      {
        target: ref,
        pod: target.pod.metadata?.name ?? '',
        spec,
        listeners: listeners.map((l) => `${joinHostPort(l.address, l.local)} -> ${l.remote}`),
        address: joinHostPort(main.address, main.local),
        remote: main.remote,
      },
      { stop: () => forwarder.stop(), done: forwarder.done },
    );
  }
}
