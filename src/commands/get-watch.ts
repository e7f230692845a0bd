// The watch half of `ktx get` (-w, --watch-only, --output-watch-events) and `ktx watch`. On a
// terminal it opens the live table (Ink, loaded only here); otherwise it prints kubectl's line
// stream: the list, then one flush per event through a width-remembering tab writer. Unlike
// kubectl it does not stop when the server closes the watch: the runtime watcher resumes from
// the last resourceVersion and relists on 410, and a relist prints only what really changed.
import { setExitCode } from '../cli/exit.js';
import { UsageError } from '../cli/errors.js';
import { parseOutputFormat, printerName, type OutputFormat } from '../cli/output-format.js';
import { parseResourceArgs } from '../cli/resource-args.js';
import { openSession, type Session } from '../cli/session.js';
import { interactiveTerminal } from '../cli/terminal.js';
import { Api } from '../lib/api/api.js';
import type { ListParams } from '../lib/api/params.js';
import { qualifiedResource, type ApiResource, type KubeObject, type ObjectList } from '../lib/api/resource.js';
import { TableRowsApi, type TableRowObject } from '../lib/api/table-rows.js';
import { ApiError, KtxError } from '../lib/errors.js';
import { createStore, type StoreChange } from '../lib/runtime/store.js';
import { watcher } from '../lib/runtime/watcher.js';
import { marshalGoJson } from '../ui/print/gojson.js';
import {
  executeJsonPath,
  jsonPathAsJson,
  parseCustomColumns,
  parseCustomColumnsFile,
  parseJsonPath,
  renderCustomColumns,
  renderTable,
  resourceName,
  sortTableRows,
  stripManagedFields,
  TabWriter,
  toJson,
  toYaml,
  type ServerTable,
} from '../ui/print/index.js';
import type { GetArgs } from './get.js';

export interface GetWatchOptions {
  /** `ktx watch`: on a terminal, always the live table, whatever the output flags say. */
  alwaysLiveTable?: boolean;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const EVENT_OF: Record<StoreChange<KubeObject>['type'], EventType> = { added: 'ADDED', updated: 'MODIFIED', deleted: 'DELETED' };

export async function runGetWatch(argv: GetArgs, opts: GetWatchOptions = {}): Promise<void> {
  const watchOnly = !!argv['watch-only'];
  if (argv['output-watch-events'] && !argv.watch && !watchOnly && !opts.alwaysLiveTable) {
    throw new UsageError('--output-watch-events option can only be used with --watch or --watch-only');
  }
  const format = parseOutputFormat(argv.output, argv.template);
  if (format.kind !== 'table' && argv['show-labels']) throw new UsageError(`--show-labels option cannot be used with ${printerName(format)} printer`);
  if (argv['sort-by']) process.stderr.write('warning: --watch requested, --sort-by will be ignored for watch events received\n');
  const args = argv.args ?? [];
  if (args.length === 0) {
    throw new UsageError(
      'You must provide one or more resources by argument or filename.',
      "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const session = await openSession(argv);
  const { resource, name } = await resolveTarget(session, args);
  const namespace = resource.namespaced && !argv['all-namespaces'] ? session.namespace : undefined;
  const selectors = {
    ...(argv.selector ? { labelSelector: argv.selector } : {}),
    fieldSelector: [name !== undefined ? `metadata.name=${name}` : '', argv['field-selector'] ?? ''].filter(Boolean).join(',') || undefined,
  };
  if (name !== undefined && !(await exists(new Api(session.client, resource, namespace), name, !!argv['ignore-not-found']))) return;

  const terminal = interactiveTerminal() && !argv['no-tui'];
  // `ktx watch` is the live table whatever the line-stream flags say, but -o yaml and the like still print.
  const liveTable = format.kind === 'table' && (opts.alwaysLiveTable || (!watchOnly && !argv['output-watch-events']));
  if (terminal && liveTable) {
    const { runLiveTable } = await import('../ui/tui/watch-table.js');
    await runLiveTable({
      client: session.client,
      resource,
      namespace,
      ...(selectors.labelSelector ? { labelSelector: selectors.labelSelector } : {}),
      ...(selectors.fieldSelector ? { fieldSelector: selectors.fieldSelector } : {}),
      layout: tableLayout(argv, resource, format.kind === 'table' && format.wide),
      title: {
        resource: qualifiedResource(resource),
        ...(session.config.contextName ? { context: session.config.contextName } : {}),
        ...(namespace ? { namespace } : {}),
        allNamespaces: resource.namespaced && !!argv['all-namespaces'],
      },
    });
    return;
  }

  const events = !!argv['output-watch-events'];
  const stream = { ...selectors, watchOnly, pageSize: argv['chunk-size'] ?? 500, verbose: (argv.v ?? 0) > 0 };
  if (format.kind === 'table') {
    const api = argv['sort-by'] ? new ObjectRowsApi(session.client, resource, namespace) : new TableRowsApi(session.client, resource, namespace);
    await streamEvents(api, tablePrinter(argv, resource, format.wide, events), stream);
  } else {
    await streamEvents(new Api(session.client, resource, namespace), objectPrinter(argv, resource, format, events), stream);
  }
}

/** The one resource type (and at most one name) a watch may be given. */
async function resolveTarget(session: Session, args: string[]): Promise<{ resource: ApiResource; name?: string }> {
  const parsed = parseResourceArgs(args, 'get');
  const pairs = parsed.form === 'pairs' ? parsed.pairs : parsed.types.flatMap((type) => (parsed.names.length ? parsed.names.map((name) => ({ type, name })) : [{ type, name: '' }]));
  const types = [...new Set(pairs.map((p) => p.type))];
  if (types.length > 1) throw new UsageError('you may only specify a single resource type');
  const resources = await session.discovery.resolve(types[0]!);
  if (resources.length !== 1) throw new UsageError('you may only specify a single resource type');
  const resource = resources[0]!;
  const names = pairs.map((p) => p.name).filter(Boolean);
  if (names.length > 1) {
    // kubectl fetches them all first, so a missing one is reported as NotFound.
    const api = new Api(session.client, resource, resource.namespaced ? session.namespace : undefined);
    for (const n of names) await api.get(n);
    throw new KtxError('watch is only supported on individual resources and resource collections - more than 1 resource was found');
  }
  return names.length ? { resource, name: names[0]! } : { resource };
}

async function exists(api: Api, name: string, ignoreNotFound: boolean): Promise<boolean> {
  try {
    await api.get(name);
    return true;
  } catch (err) {
    if (ignoreNotFound && err instanceof ApiError && err.isNotFound()) return false;
    throw err;
  }
}

function tableLayout(argv: GetArgs, resource: ApiResource, wide: boolean) {
  return {
    wide,
    namespaceColumn: !!argv['all-namespaces'] && resource.namespaced,
    labelColumns: (argv['label-columns'] ?? []).flatMap((l) => l.split(',')).filter(Boolean),
    showLabels: !!argv['show-labels'],
  };
}

/** Turns the initial list and each later change into the bytes kubectl prints for them. */
interface EventPrinter<K> {
  list(objects: K[]): string;
  event(type: EventType, object: K): string;
}

/**
 * Server-rendered rows through one RememberWidths tab writer: the list is one flush, every event
 * another, so widths only grow and earlier lines are never re-aligned, as in kubectl. The header
 * goes out with the first row, and again only if the server's columns change.
 */
function tablePrinter(argv: GetArgs, resource: ApiResource, wide: boolean, events: boolean): EventPrinter<TableRowObject> {
  const writer = new TabWriter();
  const layout = tableLayout(argv, resource, wide);
  let lastColumns: string | undefined;
  let printedHeaders = false;
  const print = (rows: TableRowObject[], eventType: EventType, sortBy?: string): string => {
    const first = rows[0];
    if (!first) return '';
    const columns = JSON.stringify(first.columns);
    const same = columns === lastColumns;
    if (!same) lastColumns = columns;
    const noHeaders = !!argv['no-headers'] || (printedHeaders && same);
    printedHeaders = true;
    let table: ServerTable = { columnDefinitions: first.columns, rows: rows.map((r) => r.row) };
    if (sortBy) table = sortTableRows(table, sortBy);
    return renderTable(table, { ...layout, noHeaders, ...(events ? { eventType } : {}) }, writer);
  };
  return {
    // kubectl sorts the listed rows for --sort-by (and warns that events are not).
    list: (objects) => print(objects, 'ADDED', argv['sort-by']),
    event: (type, object) => print([object], type),
  };
}

/**
 * Whole objects: `-o json` (indented, managedFields dropped), `-o yaml` (documents separated by
 * `---`), `-o name`, jsonpath and custom-columns, one object per list item and per event. With
 * --output-watch-events kubectl prints the WatchEvent itself: compact JSON with `type` first, or
 * YAML, and keeps managedFields (it only strips them from the top-level object).
 */
function objectPrinter(argv: GetArgs, resource: ApiResource, format: Exclude<OutputFormat, { kind: 'table' }>, events: boolean): EventPrinter<KubeObject> {
  let documents = 0;
  const doc = (type: EventType, o: KubeObject): unknown => (events ? { type, object: o } : argv['show-managed-fields'] ? o : stripManagedFields(o));
  let one: (type: EventType, o: KubeObject) => string;
  switch (format.kind) {
    case 'json':
      one = (type, o) => (events ? `{"type":${marshalGoJson(type)},"object":${marshalGoJson(o)}}\n` : toJson(doc(type, o)));
      break;
    case 'yaml':
      one = (type, o) => `${documents++ > 0 ? '---\n' : ''}${toYaml(doc(type, o))}`;
      break;
    case 'name':
      one = (_type, o) => `${resourceName(o.kind ?? resource.kind, resource.group, o.metadata?.name ?? '')}\n`;
      break;
    case 'jsonpath': {
      const template = parseJsonPath(format.template);
      one = (type, o) => (format.asJson ? jsonPathAsJson(template, doc(type, o)) : executeJsonPath(template, doc(type, o), { allowMissingKeys: argv['allow-missing-template-keys'] !== false }));
      break;
    }
    case 'custom-columns': {
      const columns = format.fromFile ? parseCustomColumnsFile(format.spec) : parseCustomColumns(format.spec);
      // One RememberWidths tab writer for the list and every event, as kubectl: widths only grow.
      const writer = new TabWriter();
      let printedHeaders = false;
      const rows = (objects: KubeObject[]) => {
        if (!objects.length) return '';
        const text = renderCustomColumns(columns, objects.map((o) => doc('ADDED', o)), { noHeaders: !!argv['no-headers'] || printedHeaders }, writer);
        printedHeaders = true;
        return text;
      };
      return { list: rows, event: (_type, o) => rows([o]) };
    }
  }
  return {
    list: (objects) => objects.map((o) => one('ADDED', o)).join(''),
    event: (type, o) => one(type, o),
  };
}

/** Table rows carrying whole objects, so --sort-by can reach any field of the listed rows. */
class ObjectRowsApi extends TableRowsApi {
  override list(p: ListParams = {}): Promise<ObjectList<TableRowObject>> {
    return super.list({ ...p, includeObject: 'Object' } as ListParams);
  }
}

/**
 * Lists, prints, then prints each change until interrupted. The Store turns a relist into the
 * changes it really made (added, modified, deleted), so a resumed or relisted watch prints no
 * duplicates. A failed first list ends the command with its error, as kubectl's would.
 */
async function streamEvents<K extends KubeObject>(
  api: Api<K>,
  printer: EventPrinter<K>,
  o: { labelSelector?: string; fieldSelector?: string | undefined; watchOnly: boolean; pageSize: number; verbose: boolean },
): Promise<void> {
  const { store, writer } = createStore<K>();
  const changes: StoreChange<K>[] = [];
  store.subscribe((c) => changes.push(...c));
  const stop = new AbortController();
  let fatal: unknown;
  let listed = false;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    stop.abort();
  };
  // A closed pipe (`| head`) ends the watch quietly.
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') stop.abort();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  process.stdout.on('error', onStdoutError);
  const out = (text: string) => {
    if (text && !stop.signal.aborted) process.stdout.write(text);
  };
  try {
    for await (const ev of watcher(api, {
      signal: stop.signal,
      // kubectl's requests: a paged list, then a watch from the list's resourceVersion.
      initialList: 'ListWatch',
      pageSize: o.pageSize,
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
      onError: (e) => {
        if (!listed) {
          fatal = e.cause ?? e;
          stop.abort();
        } else if (o.verbose) {
          process.stderr.write(`watch: ${e.message}; resuming\n`);
        }
      },
    })) {
      writer.apply(ev);
      const batch = changes.splice(0);
      if (ev.type === 'InitDone' && !listed) {
        listed = true;
        if (!o.watchOnly) out(printer.list(batch.map((c) => c.object)));
        continue;
      }
      for (const c of batch) out(printer.event(EVENT_OF[c.type], c.object));
    }
  } finally {
    for (const s of signals) process.off(s, onSignal);
    process.stdout.off('error', onStdoutError);
  }
  if (fatal) throw fatal;
  // kubectl exits 1 when interrupted.
  if (interrupted) setExitCode(1);
}
