// ktx get: kubectl's get, byte for byte, over the library's Api and Discovery.
import type { Argv, CommandModule } from 'yargs';
import { setExitCode } from '../cli/exit.js';
import { errorText, UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { parseOutputFormat, printerName, type OutputFormat } from '../cli/output-format.js';
import { parseResourceArgs } from '../cli/resource-args.js';
import { openSession, type Session } from '../cli/session.js';
import { Api } from '../lib/api/api.js';
import { qualifiedResource, type ApiResource, type KubeObject } from '../lib/api/resource.js';
import type { Table } from '../lib/api/table.js';
import { ApiError, KtxError } from '../lib/errors.js';
import { repeatable } from '../cli/repeatable.js';
import {
  asList,
  executeJsonPath,
  jsonPathAsJson,
  jsonPathExecErrorMessage,
  jsonPathParseErrorMessage,
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
} from '../ui/print/index.js';

export interface GetArgs extends GlobalFlags {
  args?: string[];
  output?: string;
  template?: string;
  selector?: string;
  'field-selector'?: string;
  'all-namespaces'?: boolean;
  'show-labels'?: boolean;
  'label-columns'?: string[];
  'show-kind'?: boolean;
  'no-headers'?: boolean;
  'sort-by'?: string;
  'chunk-size'?: number;
  'ignore-not-found'?: boolean;
  raw?: string;
  subresource?: string;
  'show-managed-fields'?: boolean;
  'allow-missing-template-keys'?: boolean;
  watch?: boolean;
  'watch-only'?: boolean;
  'output-watch-events'?: boolean;
  'no-tui'?: boolean;
}

export const getCommand: CommandModule<object, GetArgs> = {
  command: 'get [args..]',
  describe: 'Display one or many resources',
  builder: (y: Argv) =>
    y
      .positional('args', { type: 'string', array: true, describe: '(TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...)' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output format: json, yaml, name, wide, jsonpath=…, jsonpath-file=…, jsonpath-as-json=…, custom-columns=…, custom-columns-file=…' })
      .option('template', { type: 'string', describe: 'Template string or path to template file to use when -o=jsonpath' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Selector (label query) to filter on' })
      .option('field-selector', { type: 'string', describe: 'Selector (field query) to filter on' })
      .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'List the requested object(s) across all namespaces' })
      .option('show-labels', { type: 'boolean', describe: 'When printing, show all labels as the last column' })
      .option('label-columns', { alias: 'L', type: 'string', coerce: repeatable, describe: 'Labels to present as columns' })
      .option('show-kind', { type: 'boolean', describe: 'If present, list the resource type for the requested object(s)' })
      .option('no-headers', { type: 'boolean', describe: "When using the default or custom-column output format, don't print headers" })
      .option('sort-by', { type: 'string', describe: 'Sort list types using this field specification (a JSONPath expression)' })
      .option('chunk-size', { type: 'number', default: 500, describe: 'Return large lists in chunks rather than all at once; 0 disables' })
      .option('ignore-not-found', { type: 'boolean', describe: 'If the requested object does not exist the command will return exit code 0' })
      .option('raw', { type: 'string', describe: 'Raw URI to request from the server' })
      .option('subresource', { type: 'string', describe: 'If specified, gets the subresource of the requested object (status, scale)' })
      .option('show-managed-fields', { type: 'boolean', describe: 'If true, keep the managedFields when printing objects in JSON or YAML format' })
      .option('allow-missing-template-keys', { type: 'boolean', default: true, describe: 'Ignore errors in templates when a field or map key is missing' })
      .option('watch', { alias: 'w', type: 'boolean', describe: 'After listing/getting the requested object, watch for changes (a live table on a terminal)' })
      .option('watch-only', { type: 'boolean', describe: 'Watch for changes to the requested object(s), without listing/getting first' })
      .option('output-watch-events', { type: 'boolean', describe: 'Output watch event objects when --watch or --watch-only is used' })
      .option('no-tui', { type: 'boolean', describe: 'With --watch on a terminal, print lines as kubectl does instead of the live table' }) as unknown as Argv<GetArgs>,
  handler: async (argv) => runGet(argv),
};

/** One block of output: a resource type and, optionally, the names asked for. */
interface Request {
  resource: ApiResource;
  names?: string[];
}

export async function runGet(argv: GetArgs): Promise<void> {
  const args = argv.args ?? [];
  const format = parseOutputFormat(argv.output, argv.template);
  if (argv.raw !== undefined) {
    if (args.length) throw new UsageError('arguments may not be passed when --raw is specified');
    const session = await openSession(argv);
    process.stdout.write(await session.client.text({ path: argv.raw, accept: 'application/json, */*' }));
    return;
  }
  if (argv.watch || argv['watch-only'] || argv['output-watch-events']) {
    // Loaded only when watching: the live table pulls in Ink and React.
    const { runGetWatch } = await import('./get-watch.js');
    return runGetWatch(argv);
  }
  if (args.length === 0) {
    process.stderr.write('You must specify the type of resource to get. Use "ktx api-resources" for a complete list of supported resources.\n\n');
    throw new UsageError(
      'Required resource not specified.',
      "Use \"ktx explain <resource>\" for a detailed description of that resource (e.g. ktx explain pods).\nSee 'ktx get -h' for help and examples",
    );
  }
  if (format.kind !== 'table') {
    if (argv['show-labels']) throw new UsageError(`--show-labels option cannot be used with ${printerName(format)} printer`);
  }
  const parsed = parseResourceArgs(args, 'get');
  const session = await openSession(argv);
  const requests: Request[] = [];
  if (parsed.form === 'types') {
    for (const type of parsed.types) {
      for (const resource of await session.discovery.resolve(type)) {
        if (!requests.some((r) => sameResource(r.resource, resource))) requests.push({ resource, ...(parsed.names.length ? { names: parsed.names } : {}) });
      }
    }
  } else {
    for (const { type, name } of parsed.pairs) {
      const [resource] = await session.discovery.resolve(type);
      const last = requests.at(-1);
      if (last && sameResource(last.resource, resource!)) last.names!.push(name);
      else requests.push({ resource: resource!, names: [name] });
    }
  }
  // kubectl prints a bare object (not a List) when exactly one TYPE NAME or TYPE/NAME was asked for.
  const singleItem = parsed.form === 'types' ? parsed.types.length === 1 && parsed.names.length === 1 : parsed.pairs.length === 1;
  const errors: unknown[] = [];
  if (format.kind === 'table') await printTables(session, argv, requests, format.wide, errors);
  else await printObjects(session, argv, requests, format, singleItem, errors);
  for (const e of errors) process.stderr.write(`${errorText(e)}\n`);
  if (errors.length) setExitCode(1);
}

function sameResource(a: ApiResource, b: ApiResource): boolean {
  return a.group === b.group && a.version === b.version && a.plural === b.plural;
}

function apiFor(session: Session, argv: GetArgs, resource: ApiResource): Api {
  return argv['all-namespaces'] ? Api.all(session.client, resource) : Api.namespaced(session.client, resource, session.namespace);
}

function listParams(argv: GetArgs) {
  return {
    ...(argv.selector ? { labelSelector: argv.selector } : {}),
    ...(argv['field-selector'] ? { fieldSelector: argv['field-selector'] } : {}),
  };
}

/** Collects NotFound (unless ignored) and other per-name errors; rethrows what ends the command. */
function collectError(err: unknown, argv: GetArgs, errors: unknown[]): void {
  if (err instanceof ApiError && err.isNotFound() && argv['ignore-not-found']) return;
  if (err instanceof ApiError && (err.isNotFound() || err.isForbidden())) {
    errors.push(err);
    return;
  }
  throw err;
}

async function printTables(session: Session, argv: GetArgs, requests: Request[], wide: boolean, errors: unknown[]): Promise<void> {
  const withKind = requests.length > 1 || !!argv['show-kind'];
  const chunk = argv['chunk-size'] ?? 500;
  const sortBy = argv['sort-by'];
  let printedBlocks = 0;
  const out: string[] = [];
  for (const req of requests) {
    const api = apiFor(session, argv, req.resource);
    let table: Table | undefined;
    if (req.names) {
      for (const name of req.names) {
        try {
          const t = await api.getTable(name, { ...(sortBy ? { includeObject: 'Object' as const } : {}), ...(argv.subresource ? { subresource: argv.subresource } : {}) });
          if (!table) table = t;
          else table.rows.push(...t.rows);
        } catch (err) {
          collectError(err, argv, errors);
        }
      }
    } else {
      let cont: string | undefined;
      do {
        const page = await api.listTable({
          ...listParams(argv),
          ...(chunk > 0 && !sortBy ? { limit: chunk } : {}),
          ...(cont ? { continue: cont } : {}),
          ...(sortBy ? { includeObject: 'Object' as const } : {}),
        });
        if (!table) table = page;
        else table.rows.push(...page.rows);
        cont = page.metadata?.continue || undefined;
      } while (cont);
    }
    if (!table || table.rows.length === 0) continue;
    if (sortBy) table = sortTableRows(table, sortBy) as Table;
    const text = renderTable(
      table,
      {
        wide,
        namespaceColumn: !!argv['all-namespaces'] && req.resource.namespaced,
        labelColumns: (argv['label-columns'] ?? []).flatMap((l) => l.split(',')).filter(Boolean),
        showLabels: !!argv['show-labels'],
        noHeaders: !!argv['no-headers'],
        ...(withKind ? { kindPrefix: kindPrefix(req.resource) } : {}),
      },
      new TabWriter(),
    );
    if (printedBlocks > 0) out.push('\n');
    out.push(text);
    printedBlocks++;
  }
  process.stdout.write(out.join(''));
  if (printedBlocks === 0 && errors.length === 0 && !argv['ignore-not-found']) {
    const allNamespaced = !argv['all-namespaces'] && requests.every((r) => r.resource.namespaced);
    process.stderr.write(allNamespaced ? `No resources found in ${session.namespace} namespace.\n` : 'No resources found\n');
  }
}

function kindPrefix(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

async function printObjects(session: Session, argv: GetArgs, requests: Request[], format: Exclude<OutputFormat, { kind: 'table' }>, singleItem: boolean, errors: unknown[]): Promise<void> {
  const items: KubeObject[] = [];
  const chunk = argv['chunk-size'] ?? 500;
  for (const req of requests) {
    const api = apiFor(session, argv, req.resource);
    if (req.names) {
      for (const name of req.names) {
        try {
          items.push(
            argv.subresource
              ? await session.client.json<KubeObject>({ path: api.path(name, argv.subresource), subject: { verb: 'GET', resource: qualifiedResource(req.resource), name } })
              : await api.get(name),
          );
        } catch (err) {
          collectError(err, argv, errors);
        }
      }
    } else {
      for await (const page of api.pages({ ...listParams(argv), ...(chunk > 0 ? { limit: chunk } : { limit: 0 }) })) {
        const kind = page.kind?.replace(/List$/, '') ?? req.resource.kind;
        for (const item of page.items) items.push({ apiVersion: page.apiVersion, kind, ...item });
      }
    }
  }
  // kubectl strips managedFields for -o json and -o yaml only; jsonpath and custom-columns see them.
  const strip = !argv['show-managed-fields'] && (format.kind === 'json' || format.kind === 'yaml');
  let objects = strip ? items.map((o) => stripManagedFields(o)) : items;
  if (argv['sort-by']) objects = sortObjects(objects, argv['sort-by']);
  if (singleItem && objects.length === 0) return;
  const single = singleItem && objects.length === 1;
  const doc: unknown = single ? objects[0] : asList(objects);
  switch (format.kind) {
    case 'json':
      process.stdout.write(toJson(doc));
      return;
    case 'yaml':
      process.stdout.write(toYaml(doc));
      return;
    case 'name':
      for (const o of objects) {
        const r = requests.find((q) => q.resource.kind === o.kind) ?? requests[0]!;
        process.stdout.write(`${resourceName(o.kind ?? r.resource.kind, r.resource.group, o.metadata?.name ?? '')}\n`);
      }
      return;
    case 'jsonpath': {
      let template;
      try {
        template = parseJsonPath(format.template);
      } catch (err) {
        throw new KtxError(jsonPathParseErrorMessage(format.template, err));
      }
      try {
        process.stdout.write(format.asJson ? jsonPathAsJson(template, doc) : executeJsonPath(template, doc, { allowMissingKeys: argv['allow-missing-template-keys'] !== false }));
      } catch (err) {
        throw new KtxError(jsonPathExecErrorMessage(format.template, err, doc).replace(/\n$/, ''));
      }
      return;
    }
    case 'custom-columns': {
      const cols = format.fromFile ? parseCustomColumnsFile(format.spec) : parseCustomColumns(format.spec);
      // kubectl ignores --no-headers for custom-columns-file.
      process.stdout.write(renderCustomColumns(cols, objects, { noHeaders: !format.fromFile && !!argv['no-headers'] }));
      return;
    }
  }
}

function sortObjects(objects: KubeObject[], sortBy: string): KubeObject[] {
  const table = sortTableRows({ columnDefinitions: [], rows: objects.map((o) => ({ cells: [], object: o })) }, sortBy);
  return table.rows.map((r) => r.object as KubeObject);
}
