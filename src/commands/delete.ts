// ktx delete: kubectl's delete, with its output, errors and waiting.
import { createInterface } from 'node:readline';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { setExitCode } from '../cli/exit.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { parseResourceArgs } from '../cli/resource-args.js';
import { openSession, type Session } from '../cli/session.js';
import { Api } from '../lib/api/api.js';
import type { ApiResource, KubeObject } from '../lib/api/resource.js';
import { withSource } from '../lib/apply/errors.js';
import { NoKindMatchError, ResourceMapper } from '../lib/apply/mapper.js';
import { ApiError, KtxError } from '../lib/errors.js';
import { assignNamespace, loadManifests, NamespaceMismatchError } from '../lib/manifests/index.js';
import { awaitCondition, conditions, WaitTimeoutError } from '../lib/runtime/wait.js';
import { resourceName } from '../ui/print/index.js';
import { builderError, reportErrors } from './write/errors.js';
import { dryRunSuffix, parseDryRun, parseTimeout, rejectKustomize, withFilenameFlags, type FilenameFlags } from './write/flags.js';
import { parseWriteOutput } from './write/output.js';
import { Spinner } from './write/spinner.js';

export interface DeleteArgs extends GlobalFlags, FilenameFlags {
  args?: string[];
  selector?: string;
  'field-selector'?: string;
  all?: boolean;
  'all-namespaces'?: boolean;
  cascade?: string;
  'grace-period'?: number;
  now?: boolean;
  force?: boolean;
  wait?: boolean;
  timeout?: string;
  'ignore-not-found'?: boolean;
  interactive?: boolean;
  output?: string;
  'dry-run'?: string;
}

export const deleteCommand: CommandModule<object, DeleteArgs> = {
  command: 'delete [args..]',
  describe: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  builder: (y: Argv) =>
    withFilenameFlags(y, 'resources to delete')
      .positional('args', { type: 'string', array: true, describe: '(TYPE[.VERSION][.GROUP] [NAME | -l label | --all] | TYPE[.VERSION][.GROUP]/NAME ...)' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Selector (label query) to filter on' })
      .option('field-selector', { type: 'string', describe: 'Selector (field query) to filter on' })
      .option('all', { type: 'boolean', describe: 'Delete all resources, in the namespace of the specified resource types' })
      .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'If present, list the requested object(s) across all namespaces' })
      .option('cascade', { type: 'string', describe: 'Must be "background", "orphan", or "foreground" (default background)' })
      .option('grace-period', { type: 'number', default: -1, describe: 'Period of time in seconds given to the resource to terminate gracefully; -1 uses the default' })
      .option('now', { type: 'boolean', describe: 'Signal resources for immediate shutdown (same as --grace-period=1)' })
      .option('force', { type: 'boolean', describe: 'Immediately remove resources from the API and bypass graceful deletion' })
      .option('wait', { type: 'boolean', default: true, describe: 'Wait for resources to be gone before returning (finalizers included)' })
      .option('timeout', { type: 'string', describe: 'How long to wait for the deletion; 0 waits a week' })
      .option('ignore-not-found', { type: 'boolean', describe: 'Treat "resource not found" as a successful delete' })
      .option('interactive', { alias: 'i', type: 'boolean', describe: 'Ask before deleting each batch of resources' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output mode: "name" prints resource/name only' })
      .option('dry-run', { type: 'string', describe: 'Must be "none", "server", or "client"' }) as unknown as Argv<DeleteArgs>,
  handler: async (argv) => runDelete(argv),
};

/** One object to delete. `object` is known when it came from a list or a file. */
interface Target {
  resource: ApiResource;
  name: string;
  namespace: string | undefined;
  /** The -f source the object came from (kubectl names it in errors). */
  source?: string;
}

function parseCascade(value: string | undefined, warn: (t: string) => void): 'Background' | 'Foreground' | 'Orphan' {
  if (value === undefined) return 'Background';
  switch (value.toLowerCase()) {
    case '':
    case 'background':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
      return 'Orphan';
    case 'true':
      warn('--cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.');
      return 'Background';
    case 'false':
      warn('--cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.');
      return 'Orphan';
    default:
      throw new UsageError(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan"`);
  }
}

/** `deployment.apps "web" deleted from ns namespace (server dry run)`: kubectl 1.34's deletion line. */
function deletedLine(t: Target, operation: string, suffix: string, output: string): string {
  if (output === 'name') return `${resourceName(t.resource.kind, t.resource.group, t.name)}\n`;
  const kind = t.resource.group ? `${t.resource.kind.toLowerCase()}.${t.resource.group}` : t.resource.kind.toLowerCase();
  return `${kind} "${t.name}" ${operation}${t.namespace ? ` from ${t.namespace} namespace` : ''}${suffix}\n`;
}

async function ask(question: string): Promise<string> {
  process.stdout.write(question);
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return '';
  } finally {
    rl.close();
  }
}

export async function runDelete(argv: DeleteArgs): Promise<void> {
  rejectKustomize(argv);
  const args = argv.args ?? [];
  const files = argv.filename ?? [];
  const warn = (t: string) => process.stderr.write(`Warning: ${t}\n`);
  const output = parseWriteOutput(argv.output, ['name']);
  if (args.length === 0 && files.length === 0) {
    throw new UsageError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  if (files.length && args.length) throw new UsageError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  const cascade = parseCascade(argv.cascade, warn);
  const dryRun = parseDryRun(argv['dry-run'], warn);
  let grace = argv['grace-period'] ?? -1;
  if (argv.now) {
    if (grace !== -1) throw new UsageError('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (argv.force && grace > 0) throw new UsageError('--force and --grace-period greater than 0 cannot be specified together');
  if (grace === 0 && !argv.force) grace = 1;
  if (argv.force && grace < 0) grace = 0;
  const timeoutMs = parseTimeout(argv.timeout) || 168 * 3_600_000;
  const selecting = !!argv.all || !!argv.selector || !!argv['field-selector'];
  if (argv.all && argv.selector) throw new UsageError("setting 'all' parameter but found a non empty selector. ");
  const ignoreNotFound = argv['ignore-not-found'] ?? selecting;

  const session = await openSession(argv);
  const errors: Error[] = [];
  const targets = files.length ? await fileTargets(session, argv, files, errors) : await argTargets(session, argv, args);
  if (targets === 'none') {
    process.stdout.write('No resources found\n');
    return finish(errors);
  }
  if (argv.interactive) {
    const list = targets.map((t) => `${resourceName(t.resource.kind, t.resource.group, t.name)}\n`).join('');
    const answer = await ask(`You are about to delete the following ${targets.length} resource(s):\n${list}Do you want to continue? (y/N): `);
    if (answer.trim().toLowerCase() !== 'y') {
      process.stdout.write('deletion is cancelled\n');
      return;
    }
  }
  if (grace === 0) warn('Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.');
  if (session.namespaceExplicit && targets.some((t) => !t.resource.namespaced)) warn('deleting cluster-scoped resources, not scoped to the provided namespace');

  const operation = grace === 0 ? 'force deleted' : 'deleted';
  const suffix = dryRunSuffix(dryRun);
  const waiting: Array<{ target: Target; uid: string | undefined }> = [];
  for (const t of targets) {
    const api = t.resource.namespaced ? Api.namespaced(session.client, t.resource, t.namespace) : Api.cluster(session.client, t.resource);
    if (dryRun === 'client') {
      process.stdout.write(deletedLine(t, operation, suffix, output));
      continue;
    }
    try {
      const res = await api.delete(t.name, {
        propagationPolicy: cascade,
        ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
        ...(dryRun === 'server' ? { dryRun: true } : {}),
      });
      process.stdout.write(deletedLine(t, operation, suffix, output));
      // A Success Status means the object is already gone; an object back means finalizers or a grace period hold it.
      if (res.state === 'pending') waiting.push({ target: t, uid: res.object.metadata?.uid });
    } catch (err) {
      if (err instanceof ApiError && err.isNotFound() && ignoreNotFound) continue;
      errors.push(t.source ? withSource('deleting', t.source, err) : (err as Error));
    }
  }

  if (argv.wait !== false && dryRun === 'none' && waiting.length) {
    const spinner = process.stderr.isTTY ? new Spinner(process.stderr) : undefined;
    const left = new Set(waiting.map((w) => w.target));
    const show = () => spinner?.update(`waiting for deletion: ${[...left].map((t) => resourceName(t.resource.kind, t.resource.group, t.name)).join(', ')}`);
    show();
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      await Promise.all(
        waiting.map(async ({ target: t, uid }) => {
          const api = t.resource.namespaced ? Api.namespaced(session.client, t.resource, t.namespace) : Api.cluster(session.client, t.resource);
          try {
            await awaitCondition(api, t.name, conditions.isDeleted(uid), { signal: deadline });
          } catch (err) {
            if (err instanceof ApiError && (err.isForbidden() || err.code === 405)) return;
            if (err instanceof WaitTimeoutError) {
              errors.push(new KtxError(err.message));
              return;
            }
            throw err;
          } finally {
            left.delete(t);
            show();
          }
        }),
      );
    } finally {
      spinner?.stop();
    }
  }
  finish(errors);
}

function finish(errors: Error[]): void {
  if (errors.length === 0) return;
  process.stderr.write(reportErrors(errors));
  setExitCode(1);
}

/** The objects named on the command line, or selected by -l/--field-selector/--all. `none` when a selection matched nothing. */
async function argTargets(session: Session, argv: DeleteArgs, args: string[]): Promise<Target[] | 'none'> {
  const parsed = parseResourceArgs(args, 'delete');
  const selecting = !!argv.all || !!argv.selector || !!argv['field-selector'];
  const allNs = !!argv['all-namespaces'];
  const ns = (r: ApiResource) => (r.namespaced ? session.namespace : undefined);
  if (parsed.form === 'pairs') {
    if (selecting) throw new UsageError('name cannot be provided when a selector is specified');
    if (allNs) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
    const out: Target[] = [];
    for (const { type, name } of parsed.pairs) {
      const [resource] = await session.discovery.resolve(type);
      out.push({ resource: resource!, name, namespace: ns(resource!) });
    }
    return out;
  }
  if (parsed.names.length) {
    if (selecting) throw new UsageError('name cannot be provided when a selector is specified');
    if (allNs) throw new UsageError('a resource cannot be retrieved by name across all namespaces');
  } else if (!selecting) {
    throw new UsageError('resource(s) were provided, but no name was specified');
  }
  const resources: ApiResource[] = [];
  for (const type of parsed.types) resources.push(...(await session.discovery.resolve(type)));
  if (parsed.names.length) return resources.flatMap((r) => parsed.names.map((name) => ({ resource: r, name, namespace: ns(r) })));
  const out: Target[] = [];
  for (const r of resources) {
    const api = allNs || !r.namespaced ? Api.all(session.client, r) : Api.namespaced(session.client, r, session.namespace);
    for await (const o of api.listAll({ ...(argv.selector ? { labelSelector: argv.selector } : {}), ...(argv['field-selector'] ? { fieldSelector: argv['field-selector'] } : {}) })) {
      out.push({ resource: r, name: o.metadata?.name ?? '', namespace: r.namespaced ? o.metadata?.namespace : undefined });
    }
  }
  return out.length ? out : 'none';
}

/** The objects in -f files; documents that cannot be read or mapped are reported like apply reports them. */
async function fileTargets(session: Session, argv: DeleteArgs, files: string[], errors: Error[]): Promise<Target[] | 'none'> {
  const loaded = await loadManifests(files, { recursive: !!argv.recursive });
  const mapper = new ResourceMapper(session.discovery);
  const decode: Array<{ index: number; error: Error }> = loaded.errors.map((e) => ({ index: e.index, error: e }));
  const objectErrors: Error[] = [];
  const out: Target[] = [];
  for (const m of loaded.manifests) {
    try {
      const resource = await mapper.map(m.object.apiVersion ?? '', m.object.kind ?? '');
      const obj: KubeObject = assignNamespace(m.object, resource.namespaced, session.namespace, session.namespaceExplicit);
      out.push({ resource, name: obj.metadata?.name ?? '', namespace: resource.namespaced ? obj.metadata?.namespace : undefined, source: m.source });
    } catch (err) {
      const meta = m.object.metadata ?? {};
      if (err instanceof NoKindMatchError) {
        decode.push({
          index: m.index,
          error: new KtxError(`resource mapping not found for name: "${meta.name ?? ''}" namespace: "${meta.namespace ?? ''}" from "${m.source}": ${err.message}\nensure CRDs are installed first`),
        });
      } else if (err instanceof NamespaceMismatchError) objectErrors.push(err);
      else throw err;
    }
  }
  const loadError = builderError(decode, objectErrors);
  if (loadError) errors.push(loadError);
  if (out.length === 0 && !loadError) return 'none';
  return out;
}
