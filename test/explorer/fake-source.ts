// An ExplorerSource without a cluster: tables are Stores fed by hand, through the real LiveRows.
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { ApiResource, KubeObject } from '../../src/lib/api/resource.js';
import type { TableRowObject } from '../../src/lib/api/table-rows.js';
import type { TableColumnDefinition } from '../../src/lib/api/table.js';
import { ApiError } from '../../src/lib/errors.js';
import type { StoreWriter } from '../../src/lib/runtime/store.js';
import { ConnectionStatus } from '../../src/ui/tui/live-table/connection.js';
import { LiveRows } from '../../src/ui/tui/live-table/live-rows.js';
import { Explorer } from '../../src/ui/tui/explorer/Explorer.js';
import type { ExplorerSource, LiveFeed, LogOptions, ObjectRef, ViewTarget } from '../../src/ui/tui/explorer/source.js';
import type { DescribeEvent } from '../../src/ui/print/describe.js';
import { PortForwards, type ForwardInfo } from '../../src/ui/tui/explorer/port-forwards.js';
import type { HandedTerminal, TerminalHandover, TerminalTask } from '../../src/ui/tui/explorer/suspend.js';
import { lines, listedStore, podRow } from '../tui/fixtures.js';

export const PODS: ApiResource = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true };
export const DEPLOYMENTS: ApiResource = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], namespaced: true };
export const NAMESPACES: ApiResource = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', shortNames: ['ns'], namespaced: false };
export const NODES: ApiResource = { group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false };
export const SERVICES: ApiResource = { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', shortNames: ['svc'], namespaced: true };
export const WIDGETS: ApiResource = { group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets', singular: 'widget', namespaced: true };
const ALL = [PODS, DEPLOYMENTS, NAMESPACES, NODES, SERVICES, WIDGETS];

const NAME_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name' },
  { name: 'Status', type: 'string' },
];

/** A row of any type with a NAME and STATUS column. */
export function namedRow(name: string, namespace: string | undefined, status = 'Active'): TableRowObject {
  return {
    metadata: { name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '1' },
    row: { cells: [name, status] },
    columns: NAME_COLUMNS,
  };
}

export interface Watched {
  target: ViewTarget;
  writer: StoreWriter<TableRowObject>;
  connection: ConnectionStatus;
  disposed: boolean;
}

export class FakeSource implements ExplorerSource {
  context: string | undefined = 'test-ctx';
  namespace = 'default';
  /** The kubeconfig's contexts, and the namespace each one starts in. */
  contextNamespaces: Record<string, string> = { 'test-ctx': 'default', 'token-user': 'team-a' };
  /** What events() returns, by object name. */
  eventsFor: (ref: ObjectRef) => DescribeEvent[] = () => [];
  containerNames = ['web', 'sidecar'];
  readonly watched: Watched[] = [];
  readonly deleted: ObjectRef[] = [];
  readonly restarted: ObjectRef[] = [];
  /** What watch() lists for a target. */
  rowsFor: (t: ViewTarget) => TableRowObject[] = () => [];
  /** Rejects get() with this error, when set. */
  getError: Error | undefined;
  /** Log lines pushed by the test arrive through this. */
  logSink: ((line: string) => void) | undefined;
  logOptions: LogOptions[] = [];

  async resolve(type: string): Promise<ApiResource> {
    const r = ALL.find((a) => a.plural === type || a.singular === type || a.shortNames?.includes(type) || `${a.plural}.${a.group}` === type);
    if (!r) throw new Error(`the server doesn't have a resource type "${type}"`);
    return r;
  }

  async resourceNames(): Promise<string[]> {
    return ALL.flatMap((r) => [r.plural, r.singular!, ...(r.shortNames ?? []), ...(r.group ? [`${r.plural}.${r.group}`] : [])]).sort();
  }

  watch(target: ViewTarget): LiveFeed {
    const { store, writer } = listedStore(this.rowsFor(target));
    const rows = new LiveRows(store, { batchMs: 5, lingerMs: 20, highlightMs: 20 });
    const connection = new ConnectionStatus();
    connection.onState('watching');
    const w: Watched = { target, writer, connection, disposed: false };
    this.watched.push(w);
    return {
      rows,
      connection,
      dispose: () => {
        w.disposed = true;
        rows.dispose();
      },
    };
  }

  /** The watch of the view on screen. */
  get live(): Watched {
    return this.watched.filter((w) => !w.disposed).at(-1)!;
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    if (this.getError) throw this.getError;
    const uid = `uid-${ref.namespace ?? ''}-${ref.name}`;
    return { apiVersion: 'v1', kind: ref.resource.kind, metadata: { name: ref.name, namespace: ref.namespace, uid, managedFields: [{ manager: 'x' }] }, spec: { replicas: 3, line: 'needle here', nodeName: 'node-1' } } as KubeObject;
  }

  async podSelector(): Promise<string> {
    return 'app=web';
  }

  async delete(ref: ObjectRef): Promise<void> {
    this.deleted.push(ref);
    const gone = this.rowsFor({ resource: ref.resource, namespace: ref.namespace }).find((r) => r.metadata.name === ref.name);
    if (gone) this.live.writer.apply({ type: 'Delete', object: gone });
  }

  logs(_ref: ObjectRef, opts: LogOptions, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    this.logOptions.push(opts);
    this.logSink = onLine;
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  async restart(ref: ObjectRef): Promise<void> {
    this.restarted.push(ref);
  }

  async scale(_ref: ObjectRef, delta: number): Promise<number> {
    return 3 + delta;
  }

  async events(ref: ObjectRef): Promise<DescribeEvent[]> {
    return this.eventsFor(ref);
  }

  async containers(): Promise<string[]> {
    return this.containerNames;
  }

  /** What namespaces() answers (`:ns` completion). */
  clusterNamespaces: string[] = [];

  async namespaces(): Promise<string[]> {
    return this.clusterNamespaces;
  }

  async contexts(): Promise<string[]> {
    return Object.keys(this.contextNamespaces).sort();
  }

  async switchContext(name: string): Promise<void> {
    const ns = this.contextNamespaces[name];
    if (ns === undefined) throw new Error(`context "${name}" does not exist`);
    this.context = name;
    this.namespace = ns;
  }

  // s, e and f: what was asked, and what the tests make them do.
  readonly shells: ObjectRef[] = [];
  readonly edits: ObjectRef[] = [];
  /** The terminals the tasks were handed. */
  readonly handed: HandedTerminal[] = [];
  /** Rejects shell()/edit() (before any handover) with this error, when set. */
  prepareError: Error | undefined;
  /** What a shell task resolves with (an exit code) or rejects with; it waits for `release` when set. */
  shellOutcome: number | Error = 0;
  /** What an edit task resolves with or rejects with. */
  editOutcome: string | Error = 'pods/api-1 edited';
  /** Holds running tasks until resolved, when set. */
  release: Promise<void> | undefined;
  suggested: string | undefined = '8080:8080';
  readonly forwardCalls: Array<{ ref: ObjectRef; spec: string }> = [];
  forwardError: Error | undefined;
  readonly stoppedForwards: number[] = [];
  readonly forwards = new PortForwards();

  #task<T>(outcome: T | Error): TerminalTask<T> {
    return async (t) => {
      this.handed.push(t);
      await this.release;
      if (outcome instanceof Error) throw outcome;
      return outcome;
    };
  }

  async shell(ref: ObjectRef): Promise<TerminalTask<number>> {
    this.shells.push(ref);
    if (this.prepareError) throw this.prepareError;
    return this.#task(this.shellOutcome);
  }

  async edit(ref: ObjectRef): Promise<TerminalTask<string>> {
    this.edits.push(ref);
    if (this.prepareError) throw this.prepareError;
    return this.#task(this.editOutcome);
  }

  async suggestPorts(): Promise<string | undefined> {
    return this.suggested;
  }

  async portForward(ref: ObjectRef, spec: string): Promise<ForwardInfo> {
    this.forwardCalls.push({ ref, spec });
    if (this.forwardError) throw this.forwardError;
    const [localText, remoteText] = spec.includes(':') ? spec.split(':') : [spec, spec];
    const local = Number(localText) || 40000 + this.forwardCalls.length;
    const remote = Number(remoteText);
    let ended!: (err?: Error) => void;
    const done = new Promise<void>((resolve, reject) => (ended = (err) => (err ? reject(err) : resolve())));
    const info = this.forwards.add(
      { target: ref, pod: ref.name, spec, listeners: [`127.0.0.1:${local} -> ${remote}`], address: `127.0.0.1:${local}`, remote },
      {
        stop: async () => {
          this.stoppedForwards.push(info.id);
          ended();
        },
        done,
      },
    );
    this.endForward.set(info.id, ended);
    return info;
  }

  /** Ends a forward as if its pod went away. */
  readonly endForward = new Map<number, (err?: Error) => void>();
}

export function forbidden(): ApiError {
  return new ApiError({ kind: 'Status', status: 'Failure', message: 'pods "web-1" is forbidden: User "x" cannot get resource "pods"', reason: 'Forbidden', code: 403 } as never, 403);
}

export { podRow };

export interface RenderedExplorer {
  source: FakeSource;
  screen(): string;
  press(...keys: string[]): Promise<void>;
  /** Polls until the screen (without colours) satisfies `check`. */
  waitFor(check: (screen: string) => boolean): Promise<string>;
  dispose(): void;
  frames: string[];
}

export const KEY = { enter: '\r', escape: '\u001B', tab: '\t', up: '\u001B[A', down: '\u001B[B', ctrlD: '\u0004', backspace: '\u007F' };

export function renderExplorer(source: FakeSource, { rows = 24, ...props }: { rows?: number; allNamespaces?: boolean; initialType?: string; terminal?: TerminalHandover } = {}): RenderedExplorer {
  const app = render(createElement(Explorer, { source, ...props }));
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
  const screen = () => lines(app.lastFrame()).join('\n');
  return {
    source,
    screen,
    frames: app.frames,
    press: async (...keys) => {
      for (const k of keys) {
        app.stdin.write(k);
        await settle();
      }
    },
    waitFor: async (check) => {
      let last = '';
      await vi.waitFor(
        () => {
          last = screen();
          if (!check(last)) throw new Error(`screen did not match:\n${last}`);
        },
        { timeout: 3000, interval: 5 },
      );
      return last;
    },
    dispose: () => app.unmount(),
  };
}

/** Lets React run effects and Ink flush a lone Escape (all on setImmediate). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
}
