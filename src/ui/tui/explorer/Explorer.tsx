// The k9s-style explorer: one live table at a time (the live table's LiveRows, TableModeler,
// sorting, filtering and widths), a stack of views for drill-down, a `:` command bar, a `/`
// filter, and overlays for YAML, logs, help and delete confirmation. Errors go to a message
// line; nothing an action does can end the UI.
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { qualifiedResource, type ApiResource } from '../../../lib/api/resource.js';
import type { ConnectionSnapshot } from '../live-table/connection.js';
import type { LiveSnapshot } from '../live-table/live-rows.js';
import { StatusLine, type TableTitle } from '../live-table/StatusLine.js';
import { cellsAt, formatLine, TableModeler, type ModelRow, type TableLayout } from '../live-table/table-model.js';
import { useClock } from '../live-table/use-clock.js';
import { useCalmWidths } from '../live-table/use-calm-widths.js';
import { useTerminalSize } from '../live-table/use-terminal-size.js';
import { clampOffset } from '../live-table/view-state.js';
import { completeLine, lineSuggestions, parseCommand, parseFilter, type ArgumentChoices } from './commands.js';
import { ContextPicker } from './ContextPicker.js';
import { DescribeView } from './DescribeView.js';
import { ForwardsView } from './ForwardsView.js';
import { FOOTER } from './help.js';
import { HelpOverlay } from './HelpOverlay.js';
import { describeError, refLabel } from './labels.js';
import { LogView } from './LogView.js';
import { PortForwardDialog } from './PortForwardDialog.js';
import { liveCount, markSortHeader, namespaceHints, nextSort, recordNamespace, resolveSelection, rowFilter, rowKey, sortFor, sortKeyFor, type SortSpec } from './navigation.js';
import type { ExplorerSource, LiveFeed, ObjectRef, ViewTarget } from './source.js';
import { colorsEnabled, stateTone, toneColor } from './state-colors.js';
import type { TerminalHandover, TerminalInput, TerminalTask } from './suspend.js';
import { throttleSnapshots } from './throttled-rows.js';
import { YamlView } from './YamlView.js';

export interface ExplorerProps {
  source: ExplorerSource;
  /** The type shown first (default `pods`). */
  initialType?: string;
  /** Start over all namespaces rather than the source's namespace. */
  allNamespaces?: boolean;
  /** Hands the terminal to a shell (`s`) or an editor (`e`); without it those keys say so. */
  terminal?: TerminalHandover;
  /** Subscribes to the server's warnings (`Warning: …`), shown in the message line as they come. */
  onWarning?: (listener: (text: string) => void) => () => void;
}

type Mode = 'browse' | 'command' | 'filter' | 'confirm' | 'help' | 'yaml' | 'logs' | 'describe' | 'contexts' | 'suspended' | 'portforward' | 'forwards';

interface Message {
  text: string;
  error: boolean;
}

/** A shell or editor that has the terminal while the mode is 'suspended'. */
interface Handover {
  label: string;
  input: TerminalInput;
  task: TerminalTask<string>;
}

/** A view on the stack: its target plus the filter and selection it had. */
interface View extends ViewTarget {
  /** A label selector typed with `/-l …`, ANDed with the drill-down's. */
  filterSelector?: string;
  textFilter: string;
  selected: number;
  /** The selected object (namespace/name): the selection follows it as rows move; `selected` is the fallback. */
  selectedKey?: string;
  /** Shift-N/A/S; undefined is kubectl's (namespace, name) order. */
  sort?: SortSpec;
}

/** Status line, breadcrumb/message line, namespace hints, column header, footer, and one spare line (see LiveTable). */
const CHROME_LINES = 6;

/** At most this often a table's changes reach the screen (as Ink's maxFps 15 did); keys render at once. */
export const CHURN_FRAME_MS = 67;
/**
 * Ink's maxFps for the explorer: the explorer throttles churn itself (CHURN_FRAME_MS), so Ink's cap
 * only folds bursts of commits (a held key) into fewer frames, and a key's frame waits at most 17 ms.
 */
export const EXPLORER_MAX_FPS = 60;

const EMPTY_SNAPSHOT: LiveSnapshot = { version: 0, rows: [], count: 0, ready: false };
const LISTING: ConnectionSnapshot = { state: 'listing' };
const noSubscribe = () => () => undefined;

const WORKLOAD_KINDS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', 'apps/DaemonSet', 'batch/Job', '/ReplicationController', '/Service']);
const SCALABLE_KINDS = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);
const RESTARTABLE_KINDS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet']);

const kindKey = (r: ApiResource) => `${r.group}/${r.kind}`;
const isCore = (r: ApiResource, plural: string) => r.group === '' && r.plural === plural;

function viewKey(v: ViewTarget & { filterSelector?: string }): string {
  return JSON.stringify([v.resource.group, v.resource.version, v.resource.plural, v.namespace ?? null, v.labelSelector ?? '', v.fieldSelector ?? '', v.filterSelector ?? '']);
}

function watchTarget(v: View): ViewTarget {
  const labelSelector = [v.labelSelector, v.filterSelector].filter(Boolean).join(',');
  return {
    resource: v.resource,
    namespace: v.resource.namespaced ? v.namespace : undefined,
    ...(labelSelector ? { labelSelector } : {}),
    ...(v.fieldSelector ? { fieldSelector: v.fieldSelector } : {}),
  };
}

export function Explorer({ source, initialType = 'pods', allNamespaces: startAll = false, terminal, onWarning }: ExplorerProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const now = useClock();
  const [stack, setStack] = useState<View[]>([]);
  /** The namespace new views open in; undefined for all namespaces. */
  const [namespace, setNamespace] = useState<string | undefined>(startAll ? undefined : source.namespace);
  // Keys can arrive faster than React renders: the handler reads mode and input from refs that
  // change with the key, not from the last render.
  const [mode, setModeState] = useState<Mode>('browse');
  const modeRef = useRef<Mode>('browse');
  const setMode = useCallback((m: Mode) => {
    modeRef.current = m;
    setModeState(m);
  }, []);
  const [input, setInputState] = useState('');
  const inputRef = useRef('');
  const setInput = useCallback((f: string | ((s: string) => string)) => {
    inputRef.current = typeof f === 'function' ? f(inputRef.current) : f;
    setInputState(inputRef.current);
  }, []);
  const [message, setMessage] = useState<Message | undefined>();
  const [overlayRef, setOverlayRef] = useState<ObjectRef | undefined>();
  const [names, setNames] = useState<string[]>([]);
  const podsResource = useRef<ApiResource | undefined>(undefined);
  /** Recent namespaces for the `1`–`9` keys (k9s's favourites). */
  const [recent, setRecent] = useState<string[]>(() => recordNamespace([], source.namespace));
  /** Bumped on a context switch: every feed is reopened on the new client. */
  const [epoch, setEpoch] = useState(0);
  const [contextNames, setContextNames] = useState<string[]>([]);
  /** The namespaced type shown before `:ns`: Enter on a namespace shows that type there. */
  const browseType = useRef<ApiResource | undefined>(undefined);
  const colors = colorsEnabled();
  const [handover, setHandover] = useState<Handover | undefined>();
  /** From the key until the terminal is back: one handover at a time. */
  const handing = useRef(false);

  const fail = useCallback((err: unknown) => setMessage({ text: describeError(err), error: true }), []);
  const info = useCallback((text: string) => setMessage({ text, error: false }), []);
  useEffect(() => onWarning?.(info), [onWarning, info]);

  // The first view, and the names the command bar completes.
  useEffect(() => {
    let live = true;
    source.resolve(initialType).then(
      (resource) => live && setStack([{ resource, namespace: startAll ? undefined : source.namespace, textFilter: '', selected: 0 }]),
      (err: unknown) => live && fail(err),
    );
    source.resourceNames().then(
      (n) => live && setNames(n),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source, initialType, startAll, fail]);

  useEffect(() => {
    let live = true;
    source.contexts().then(
      (c) => live && setContextNames(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source]);
  // The cluster's namespaces, fetched each time the command bar opens; recent ones come first.
  const [clusterNamespaces, setClusterNamespaces] = useState<string[]>([]);
  const choices = useMemo<ArgumentChoices>(
    () => ({ contexts: contextNames, namespaces: [...new Set([...recent, ...clusterNamespaces])] }),
    [contextNames, recent, clusterNamespaces],
  );

  const view = stack.at(-1);
  const key = view ? viewKey(view) : '';
  // One watch per view: a new feed when the target changes, the old one stopped.
  const feed = useMemo<LiveFeed | undefined>(() => (view ? source.watch(watchTarget(view)) : undefined), [source, key, epoch]);
  useEffect(() => () => feed?.dispose(), [feed]);

  const rows = useMemo(() => (feed ? throttleSnapshots(feed.rows, CHURN_FRAME_MS) : undefined), [feed]);
  const snapshot = useSyncExternalStore(rows?.subscribe ?? noSubscribe, rows?.getSnapshot ?? (() => EMPTY_SNAPSHOT));
  const conn = useSyncExternalStore(feed?.connection.subscribe ?? noSubscribe, feed?.connection.getSnapshot ?? (() => LISTING));

  const allNamespaces = !!view?.resource.namespaced && view.namespace === undefined;
  const layout = useMemo<TableLayout>(() => ({ wide: false, namespaceColumn: allNamespaces, labelColumns: [], showLabels: false }), [allNamespaces]);
  const modeler = useMemo(() => new TableModeler(layout), [layout, feed]);
  const model = useMemo(() => modeler.model(snapshot), [modeler, snapshot]);
  const sort = view?.sort;
  const sorted = useMemo(() => sortFor(model.rows, model.headers, model.ageColumn, sort), [model, sort]);
  const liveFilter = mode === 'filter' ? parseFilter(input) : undefined;
  const textFilter = liveFilter ? (liveFilter.kind === 'text' ? liveFilter.text : '') : (view?.textFilter ?? '');
  // Typing into `/` narrows the previous result instead of filtering every row again.
  const filter = useMemo(() => rowFilter(), [feed]);
  const shown = useMemo(() => filter(sorted, textFilter), [filter, sorted, textFilter]);
  const matching = useMemo(() => (textFilter ? liveCount(shown) : undefined), [shown, textFilter]);

  const pageSize = Math.max(1, size.rows - CHROME_LINES);
  const selected = resolveSelection(shown, view?.selectedKey, view?.selected ?? 0);
  const offsetRef = useRef(0);
  let offset = offsetRef.current;
  if (selected < offset) offset = selected;
  if (selected >= offset + pageSize) offset = selected - pageSize + 1;
  offset = clampOffset(offset, { rows: shown.length, pageSize });
  offsetRef.current = offset;
  const visible = shown.slice(offset, offset + pageSize);
  const visibleCells = visible.map((r) => cellsAt(r, model.ageColumn, now));
  const widths = useCalmWidths(model.headers, model.widths, visibleCells);
  const current: ModelRow | undefined = shown[selected];

  const updateTop = useCallback((f: (v: View) => View) => setStack((s) => (s.length ? [...s.slice(0, -1), f(s.at(-1)!)] : s)), []);
  const push = useCallback(
    (v: ViewTarget) => {
      offsetRef.current = 0;
      setStack((s) => [...s, { ...v, textFilter: '', selected: 0 }]);
    },
    [],
  );
  const shownRef = useRef<readonly ModelRow[]>([]);
  shownRef.current = shown;
  /** Selects the row at `n` (clamped) and remembers its object, so the selection follows it. */
  const selectAt = (v: View, n: number): View => {
    const rows = shownRef.current;
    const at = Math.min(Math.max(0, n), Math.max(0, rows.length - 1));
    const row = rows[at];
    return { ...v, selected: at, selectedKey: row ? rowKey(row) : undefined };
  };
  /** Moves the selection relative to where it is now (not where the last render saw it). */
  const moveBy = (delta: number) => updateTop((v) => selectAt(v, resolveSelection(shownRef.current, v.selectedKey, v.selected) + delta));
  const select = (n: number) => updateTop((v) => selectAt(v, n));
  // Pin the first selection to its object too, so rows inserted above it do not move it.
  const currentKey = current ? rowKey(current) : undefined;
  useEffect(() => {
    if (currentKey !== undefined) updateTop((v) => (v.selectedKey === undefined ? { ...v, selectedKey: currentKey } : v));
  }, [currentKey, updateTop]);
  const refOf = (row: ModelRow, v: ViewTarget): ObjectRef => ({ resource: v.resource, namespace: row.namespace || v.namespace, name: row.name });

  const pods = async (): Promise<ApiResource> => (podsResource.current ??= await source.resolve('pods'));

  /** Replaces the whole stack with one view of `resource`. */
  const show = (resource: ApiResource, ns: string | undefined) => {
    offsetRef.current = 0;
    setStack([{ resource, namespace: ns, textFilter: '', selected: 0 }]);
  };

  const runCommand = async (line: string) => {
    const cmd = parseCommand(line);
    if (!cmd) return;
    switch (cmd.kind) {
      case 'quit':
        exit();
        return;
      case 'help':
        setMode('help');
        return;
      case 'context':
        if (cmd.name) await switchContext(cmd.name);
        else setMode('contexts');
        return;
      case 'forwards':
        setMode('forwards');
        return;
      case 'namespace':
        if (cmd.name) {
          setNamespace(cmd.name);
          setRecent((r) => recordNamespace(r, cmd.name));
          updateTop((v) => ({ ...v, namespace: cmd.name, selected: 0 }));
          info(`namespace: ${cmd.name}`);
        } else {
          if (view?.resource.namespaced) browseType.current = view.resource;
          show(await source.resolve('namespaces'), undefined);
        }
        return;
      case 'resource': {
        const resource = await source.resolve(cmd.type);
        const ns = cmd.allNamespaces ? undefined : (cmd.namespace ?? namespace);
        if (cmd.namespace) setNamespace(cmd.namespace);
        if (cmd.namespace) setRecent((r) => recordNamespace(r, cmd.namespace));
        if (cmd.allNamespaces) setNamespace(undefined);
        show(resource, ns);
        setMessage(undefined);
        return;
      }
    }
  };

  const drill = async (row: ModelRow, v: View) => {
    const r = v.resource;
    if (isCore(r, 'namespaces')) {
      setNamespace(row.name);
      setRecent((rs) => recordNamespace(rs, row.name));
      push({ resource: browseType.current ?? (await pods()), namespace: row.name, via: `namespace ${row.name}` });
    } else if (isCore(r, 'nodes')) {
      push({ resource: await pods(), namespace: undefined, fieldSelector: `spec.nodeName=${row.name}`, via: `node ${row.name}` });
    } else if (WORKLOAD_KINDS.has(kindKey(r))) {
      const ref = refOf(row, v);
      const labelSelector = await source.podSelector(ref);
      push({ resource: await pods(), namespace: ref.namespace, labelSelector, via: `${r.kind.toLowerCase()} ${row.name}` });
    } else if (isCore(r, 'pods')) {
      setOverlayRef(refOf(row, v));
      setMode('logs');
    } else {
      setOverlayRef(refOf(row, v));
      setMode('yaml');
    }
  };

  /** `:ctx NAME`: the same type on the new context, in its namespace; every feed reopens. */
  const switchContext = async (name: string) => {
    const type = view ? (view.resource.group ? `${view.resource.plural}.${view.resource.group}` : view.resource.plural) : initialType;
    await source.switchContext(name);
    podsResource.current = undefined;
    browseType.current = undefined;
    const resource = await source.resolve(type).catch(() => source.resolve('pods'));
    offsetRef.current = 0;
    setEpoch((e) => e + 1);
    setNamespace(source.namespace);
    setRecent(recordNamespace([], source.namespace));
    setStack([{ resource, namespace: resource.namespaced ? source.namespace : undefined, textFilter: '', selected: 0 }]);
    info(`context: ${source.context ?? name}`);
    source.resourceNames().then(setNames, () => setNames([]));
  };

  const act = (p: Promise<unknown> | void) => {
    if (p) p.catch(fail);
  };

  /** `s` and `e`: prepare (errors show here, in place), then give the terminal to the task. */
  const handOver = (label: string, input: TerminalInput, prepare: () => Promise<TerminalTask<string>>) => {
    if (!terminal) return info(`${label}: needs the explorer to run in a terminal`);
    if (handing.current) return;
    handing.current = true;
    info(`${label}…`);
    prepare().then(
      (task) => {
        setHandover({ label, input, task });
        setMode('suspended');
      },
      (err: unknown) => {
        handing.current = false;
        fail(err);
      },
    );
  };

  const onBrowse = (ch: string, k: Key) => {
    if (!view) {
      if (ch === 'q') exit();
      return;
    }
    if (k.upArrow || ch === 'k') return moveBy(-1);
    if (k.downArrow || ch === 'j') return moveBy(1);
    if (k.pageUp || (k.ctrl && ch === 'b')) return moveBy(-pageSize);
    if (k.pageDown || ch === ' ' || (k.ctrl && ch === 'f')) return moveBy(pageSize);
    if (k.home || ch === 'g') return select(0);
    if (k.end || ch === 'G') return select(shown.length - 1);
    if (k.escape) {
      if (view.textFilter || view.filterSelector) return updateTop((v) => ({ ...v, textFilter: '', filterSelector: undefined, selected: 0 }));
      if (stack.length > 1) {
        offsetRef.current = 0;
        return setStack((s) => s.slice(0, -1));
      }
      return;
    }
    if (k.ctrl && ch === 'd') {
      if (current) setMode('confirm');
      return;
    }
    if (k.return) {
      if (current) act(drill(current, view));
      return;
    }
    if (k.ctrl || k.meta) return;
    // A pasted or fast-typed `:deploy` arrives as one chunk.
    if (ch.length > 1 && (ch[0] === ':' || ch[0] === '/')) {
      onBrowse(ch[0], k);
      onKeyRef.current(ch.slice(1), k);
      return;
    }
    if (/^[1-9]$/.test(ch)) {
      const ns = recent[Number(ch) - 1];
      if (!ns) return;
      setNamespace(ns);
      updateTop((v) => (v.resource.namespaced ? { ...v, namespace: ns, selected: 0 } : v));
      return;
    }
    const sortKey = sortKeyFor(ch);
    if (sortKey) return updateTop((v) => ({ ...v, sort: nextSort(v.sort, sortKey) }));
    switch (ch) {
      case 'q':
        exit();
        return;
      case ':':
        setInput('');
        setMode('command');
        source.namespaces().then(setClusterNamespaces, () => undefined);
        return;
      case '/':
        setInput(view.filterSelector ? `-l ${view.filterSelector}` : view.textFilter);
        setMode('filter');
        return;
      case '?':
        setMode('help');
        return;
      case '0':
        setNamespace(undefined);
        updateTop((v) => ({ ...v, namespace: undefined, selected: 0 }));
        return;
      case 'y':
        if (current) {
          setOverlayRef(refOf(current, view));
          setMode('yaml');
        }
        return;
      case 'l':
        if (!current) return;
        if (!isCore(view.resource, 'pods')) return info('logs: select a pod (Enter on a workload lists its pods)');
        setOverlayRef(refOf(current, view));
        setMode('logs');
        return;
      case 'r': {
        if (!current) return;
        if (!RESTARTABLE_KINDS.has(kindKey(view.resource))) return info(`restart: not supported for ${qualifiedResource(view.resource)}`);
        const ref = refOf(current, view);
        act(source.restart(ref).then(() => info(`${refLabel(ref)} restarted`)));
        return;
      }
      case '+':
      case '-': {
        if (!current) return;
        if (!SCALABLE_KINDS.has(kindKey(view.resource))) return info(`scale: not supported for ${qualifiedResource(view.resource)}`);
        const ref = refOf(current, view);
        act(source.scale(ref, ch === '+' ? 1 : -1).then((n) => info(`${refLabel(ref)} scaled to ${n}`)));
        return;
      }
      case 'd':
        if (current) {
          setOverlayRef(refOf(current, view));
          setMode('describe');
        }
        return;
      case 's': {
        if (!current) return;
        if (!isCore(view.resource, 'pods') && !WORKLOAD_KINDS.has(kindKey(view.resource))) return info(`shell: select a pod, a workload or a service (not ${qualifiedResource(view.resource)})`);
        const ref = refOf(current, view);
        const label = `shell in ${refLabel(ref)}`;
        handOver(label, 'raw', async () => {
          const task = await source.shell(ref);
          return async (t) => {
            const code = await task(t);
            return code === 0 ? `${label} ended` : `${label} exited with code ${code}`;
          };
        });
        return;
      }
      case 'e': {
        if (!current) return;
        const ref = refOf(current, view);
        handOver(`editing ${refLabel(ref)}`, 'child', () => source.edit(ref));
        return;
      }
      case 'f':
        if (!current) return;
        if (!isCore(view.resource, 'pods') && !WORKLOAD_KINDS.has(kindKey(view.resource))) return info(`port-forward: select a pod, a workload or a service (not ${qualifiedResource(view.resource)})`);
        setOverlayRef(refOf(current, view));
        setMode('portforward');
        return;
      case 'F':
        setMode('forwards');
        return;
    }
  };

  const onLine = (ch: string, k: Key, accept: (line: string) => void) => {
    const mode = modeRef.current;
    // Text and Enter typed quickly (or pasted) can arrive as one chunk: `deploy\r`.
    const cr = !k.return && !k.ctrl && !k.meta ? ch.search(/[\r\n]/) : -1;
    if (cr >= 0) {
      if (cr > 0) setInput((s) => s + ch.slice(0, cr));
      setMode('browse');
      accept(inputRef.current);
      return;
    }
    if (k.escape) {
      setMode('browse');
      if (mode === 'filter') updateTop((v) => ({ ...v, textFilter: '', filterSelector: undefined, selected: 0 }));
      return;
    }
    if (k.return) {
      setMode('browse');
      accept(inputRef.current);
      return;
    }
    if (k.backspace || k.delete) return setInput((s) => [...s].slice(0, -1).join(''));
    if (k.tab) {
      if (mode === 'command') setInput((s) => completeLine(s, names, choices));
      return;
    }
    if (k.upArrow) return moveBy(-1);
    if (k.downArrow) return moveBy(1);
    if (k.ctrl || k.meta || !ch) return;
    setInput((s) => s + ch);
    if (mode === 'filter') updateTop((v) => ({ ...v, selected: 0 }));
  };

  const onKey = (ch: string, k: Key) => {
      const mode = modeRef.current;
      if (k.ctrl && ch === 'c') return exit();
      if (mode === 'browse') return onBrowse(ch, k);
      if (mode === 'command') return onLine(ch, k, (line) => act(runCommand(line)));
      if (mode === 'filter') {
        return onLine(ch, k, (line) => {
          const f = parseFilter(line);
          updateTop((v) => (f.kind === 'label' ? { ...v, textFilter: '', filterSelector: f.selector || undefined, selected: 0 } : { ...v, textFilter: f.text, selected: 0 }));
        });
      }
      if (mode === 'confirm') {
        setMode('browse');
        if ((ch === 'y' || ch === 'Y') && current && view) {
          const ref = refOf(current, view);
          act(source.delete(ref).then(() => info(`${refLabel(ref)} deleted`)));
        } else {
          info('delete cancelled');
        }
      }
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  const stableOnKey = useCallback((ch: string, k: Key) => onKeyRef.current(ch, k), []);
  useInput(stableOnKey, { isActive: mode === 'browse' || mode === 'command' || mode === 'filter' || mode === 'confirm' });

  const closeOverlay = useCallback(() => {
    setMode('browse');
    setOverlayRef(undefined);
  }, []);

  // The handover starts once this render is committed, after the input hooks it deactivated have
  // released stdin (React runs every effect cleanup of a commit before any new effect).
  useEffect(() => {
    if (!handover || !terminal) return;
    let live = true;
    terminal
      .run(handover.task, handover.input)
      .then(
        (text) => live && info(text),
        (err: unknown) => live && fail(err),
      )
      .finally(() => {
        handing.current = false;
        if (!live) return;
        setHandover(undefined);
        setMode('browse');
      });
    return () => {
      live = false;
    };
  }, [handover, terminal, info, fail, setMode]);

  // Never on a real screen (its output is held), but a frame unlike the table's, so the table is drawn whole when the terminal comes back.
  if (mode === 'suspended' && handover) return <Text>{`${handover.label}: the explorer resumes when it ends`}</Text>;
  if (mode === 'portforward' && overlayRef) {
    const started = (text: string) => {
      closeOverlay();
      info(text);
    };
    return <PortForwardDialog source={source} target={overlayRef} onDone={started} onClose={closeOverlay} />;
  }
  if (mode === 'forwards') return <ForwardsView forwards={source.forwards} height={size.rows - 1} onClose={closeOverlay} />;
  if (mode === 'help') return <HelpOverlay onClose={closeOverlay} />;
  if (mode === 'yaml' && overlayRef) return <YamlView source={source} target={overlayRef} height={size.rows - 1} onClose={closeOverlay} />;
  if (mode === 'logs' && overlayRef) return <LogView source={source} target={overlayRef} height={size.rows - 1} onClose={closeOverlay} />;
  if (mode === 'describe' && overlayRef) return <DescribeView source={source} target={overlayRef} height={size.rows - 1} onClose={closeOverlay} />;
  if (mode === 'contexts') {
    const pick = (name: string) => {
      setMode('browse');
      act(switchContext(name));
    };
    return <ContextPicker source={source} height={size.rows - 1} onPick={pick} onClose={closeOverlay} />;
  }

  const title: TableTitle = view
    ? {
        resource: qualifiedResource(view.resource),
        ...(source.context ? { context: source.context } : {}),
        ...(view.resource.namespaced && view.namespace ? { namespace: view.namespace } : {}),
        allNamespaces,
      }
    : { resource: initialType, ...(source.context ? { context: source.context } : {}) };
  const crumbs = stack.map((v) => (v.via ? `${qualifiedResource(v.resource)} (${v.via})` : qualifiedResource(v.resource))).join(' › ');
  const selectors = view ? [view.labelSelector, view.fieldSelector, view.filterSelector].filter(Boolean).join(' ') : '';

  return (
    <Box flexDirection="column">
      <StatusLine title={title} connection={conn} count={snapshot.count} matching={matching} />
      <Text wrap="truncate-end">
        <Text color={colors ? 'cyan' : undefined}>{crumbs ? `<${crumbs}>` : ''}</Text>
        {selectors ? <Text dimColor>{`  ${selectors}`}</Text> : ''}
        {message ? <Text color={message.error && colors ? 'red' : undefined} bold={message.error}>{`  ${message.text}`}</Text> : ''}
      </Text>
      <Text dimColor wrap="truncate-end">
        {namespaceHints(recent, namespace)}
      </Text>
      <Text bold wrap="truncate-end">
        {formatLine(markSortHeader(model.headers, model.ageColumn, view?.sort), widths)}
      </Text>
      {visible.length === 0 ? (
        <Text dimColor>{emptyText(view === undefined || conn.state === 'listing' || !snapshot.ready, textFilter, title.namespace, allNamespaces)}</Text>
      ) : (
        visible.map((r, i) => {
          const cells = visibleCells[i]!;
          const isSelected = offset + i === selected;
          const deleted = r.tone === 'deleted';
          const color = deleted ? toneColor('failing', colors) : toneColor(stateTone(model.headers, cells), colors);
          return (
            <Text key={r.uid} wrap="truncate-end" inverse={isSelected} color={color} bold={r.tone === 'added' || r.tone === 'changed'} strikethrough={deleted} dimColor={deleted}>
              {formatLine(cells, widths)}
            </Text>
          );
        })
      )}
      <Footer mode={mode} input={input} names={names} choices={choices} current={current && view ? refOf(current, view) : undefined} position={shown.length > pageSize ? `${selected + 1}/${shown.length}  ` : ''} />
    </Box>
  );
}

function Footer({ mode, input, names, choices, current, position }: { mode: Mode; input: string; names: readonly string[]; choices: ArgumentChoices; current: ObjectRef | undefined; position: string }) {
  if (mode === 'command' || mode === 'filter') {
    const typed = input.trim().split(/\s+/).at(-1);
    const hints = mode === 'command' ? lineSuggestions(input, names, choices).filter((s) => s !== typed) : [];
    return (
      <Text wrap="truncate-end">
        <Text color="cyan">{mode === 'command' ? ':' : '/'}</Text>
        {input}
        <Text inverse> </Text>
        <Text dimColor>{mode === 'command' ? `  ${hints.join(' ')}${hints.length ? '  ' : ''}Tab completes, Enter runs, Esc cancels` : '  -l SELECTOR filters by label; Enter keeps, Esc clears'}</Text>
      </Text>
    );
  }
  if (mode === 'confirm' && current) {
    return (
      <Text wrap="truncate-end" bold>
        {`Delete ${refLabel(current)}? (y/N)`}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>
      {position}
      {FOOTER}
    </Text>
  );
}

function emptyText(listing: boolean, filter: string, namespace: string | undefined, allNamespaces: boolean): string {
  if (listing) return 'Listing…';
  if (filter) return `No rows match "${filter}".`;
  return namespace && !allNamespaces ? `No resources found in ${namespace} namespace.` : 'No resources found';
}
