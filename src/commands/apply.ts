// ktx apply: server-side apply by default, kubectl's client-side apply with --server-side=false.
import { createHash } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { setExitCode } from '../cli/exit.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { Applier, type ApplyResult } from '../lib/apply/apply.js';
import { ApplySet, type ApplySetParentRef } from '../lib/apply/applyset.js';
import { waitsFor } from '../lib/apply/rollout.js';
import { KtxError } from '../lib/errors.js';
import { loadManifests, matchesLabels, NamespaceMismatchError, parseLabelSelector, type Manifest } from '../lib/manifests/index.js';
import { KTX_LIB_VERSION } from '../lib/version.js';
import { builderError, reportErrors } from './write/errors.js';
import { parseDryRun, parseTimeout, parseValidate, rejectKustomize, withFilenameFlags, type FilenameFlags } from './write/flags.js';
import { objectName, operationLine, parseWriteOutput, renderObjects } from './write/output.js';
import { waitForRollout } from './write/wait-rollout.js';

export interface ApplyArgs extends GlobalFlags, FilenameFlags {
  'server-side'?: boolean;
  'force-conflicts'?: boolean;
  'field-manager'?: string;
  'dry-run'?: string;
  output?: string;
  prune?: boolean;
  selector?: string;
  all?: boolean;
  applyset?: string;
  wait?: boolean;
  timeout?: string;
  validate?: string;
}

const FIELD_MANAGER = 'ktx';
const CLIENT_SIDE_FIELD_MANAGER = 'ktx-client-side-apply';

export const applyCommand: CommandModule<object, ApplyArgs> = {
  command: 'apply',
  describe: 'Apply a configuration to resources by file name or stdin (server-side apply by default)',
  builder: (y: Argv) =>
    withFilenameFlags(y, 'configuration to apply')
      .option('server-side', { type: 'boolean', default: true, describe: 'Apply on the server (server-side apply); --server-side=false uses client-side apply as kubectl does by default' })
      .option('force-conflicts', { type: 'boolean', describe: 'Take over fields other field managers own (server-side apply only)' })
      .option('field-manager', { type: 'string', describe: `Name of the manager used to track field ownership (default "${FIELD_MANAGER}", "${CLIENT_SIDE_FIELD_MANAGER}" with --server-side=false)` })
      .option('dry-run', { type: 'string', describe: 'Must be "none", "server", or "client": show what would be applied without persisting it' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output format: yaml, json or name' })
      .option('prune', { type: 'boolean', describe: 'Delete objects of the ApplySet (see --applyset, -l) that are not in this apply' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Apply (and prune) only objects with these labels' })
      .option('all', { type: 'boolean', describe: 'With --prune: prune every object of the ApplySet, not only those matching -l' })
      .option('applyset', { type: 'string', describe: 'The ApplySet parent for --prune: [secrets/|configmaps/]NAME in the namespace (default: derived from -l)' })
      .option('wait', { type: 'boolean', default: false, describe: 'Wait until Deployments, StatefulSets and DaemonSets are rolled out, Jobs complete and Pods ready' })
      .option('timeout', { type: 'string', describe: 'How long --wait waits (e.g. 90s, 5m); default 5m' })
      .option('validate', { type: 'string', default: 'strict', describe: 'Field validation on the server: strict, warn or ignore' }) as unknown as Argv<ApplyArgs>,
  handler: async (argv) => runApply(argv),
};

/** `[secrets/|configmaps/]NAME` → the parent reference. */
function parseApplySet(value: string, namespace: string): ApplySetParentRef {
  const slash = value.indexOf('/');
  const type = slash < 0 ? 'secrets' : value.slice(0, slash).toLowerCase();
  const name = slash < 0 ? value : value.slice(slash + 1);
  const kind = /^(secrets?)(\.v1)?$/.test(type) ? 'Secret' : /^(configmaps?|cm)(\.v1)?$/.test(type) ? 'ConfigMap' : undefined;
  if (!kind || !name) throw new UsageError(`invalid applyset "${value}": the parent must be a Secret or a ConfigMap: [secrets/|configmaps/]NAME`);
  return { kind, name, namespace };
}

export async function runApply(argv: ApplyArgs): Promise<void> {
  rejectKustomize(argv);
  if (!argv.filename?.length) throw new UsageError('must specify one of -f and -k');
  const warn = (t: string) => process.stderr.write(`Warning: ${t}\n`);
  const dryRun = parseDryRun(argv['dry-run'], warn);
  const serverSide = argv['server-side'] !== false;
  if (argv['force-conflicts'] && !serverSide) throw new UsageError('--force-conflicts only works with --server-side');
  if (serverSide && dryRun === 'client') throw new UsageError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
  if (argv.all && argv.selector) throw new UsageError('cannot set --all and --selector at the same time');
  if (argv.prune && !argv.all && !argv.selector && !argv.applyset) {
    throw new UsageError(
      'all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
    );
  }
  if (argv.prune && !argv.applyset && !argv.selector) throw new UsageError('--prune needs an ApplySet: pass --applyset=NAME (or -l SELECTOR, which names one)');
  const output = parseWriteOutput(argv.output);
  const fieldValidation = parseValidate(argv.validate);
  const timeout = parseTimeout(argv.timeout);
  // 0 waits without limit (a week), as delete's --timeout.
  const timeoutMs = timeout === undefined ? 5 * 60_000 : timeout === 0 ? 168 * 3_600_000 : timeout;
  const selector = argv.selector ? parseLabelSelector(argv.selector) : undefined;

  const loaded = await loadManifests(argv.filename, { recursive: !!argv.recursive });
  const manifests = selector ? loaded.manifests.filter((m) => matchesLabels(selector, m.object.metadata?.labels)) : loaded.manifests;
  if (manifests.length === 0 && loaded.errors.length === 0) throw new UsageError('no objects passed to apply');

  const session = await openSession(argv);
  const fieldManager = argv['field-manager'] ?? (serverSide ? FIELD_MANAGER : CLIENT_SIDE_FIELD_MANAGER);
  const dry = dryRun === 'none' ? undefined : dryRun;
  const applySet = argv.prune
    ? new ApplySet(
        session.client,
        session.discovery,
        argv.applyset
          ? parseApplySet(argv.applyset, session.namespace)
          : // Without --applyset the selector names the set, so the same -l always prunes the same set.
            { kind: 'Secret', name: `ktx-prune-${createHash('sha256').update(argv.selector ?? '').digest('hex').slice(0, 12)}`, namespace: session.namespace },
        { tooling: `ktx/v${KTX_LIB_VERSION}`, fieldManager, ...(dry ? { dryRun: dry } : {}) },
      )
    : undefined;
  const toApply: Manifest[] = applySet ? manifests.map((m) => ({ ...m, object: applySet.label(m.object) })) : manifests;

  const printed: ApplyResult[] = [];
  const applier = new Applier(session.client, session.discovery, {
    mode: serverSide ? 'server' : 'client',
    fieldManager,
    forceConflicts: !!argv['force-conflicts'],
    ...(dry ? { dryRun: dry } : {}),
    fieldValidation,
    namespace: session.namespace,
    enforceNamespace: session.namespaceExplicit,
    programName: 'ktx',
    onWarning: (t) => process.stderr.write(`${t}\n`),
    onApplied: (r) => {
      printed.push(r);
      if (output === 'default' || output === 'name') process.stdout.write(operationLine(r.target.resource, r.object, r.operation, dryRun, output));
    },
  });

  if (applySet) {
    const mapped = [];
    for (const m of toApply) {
      // Manifests that cannot be mapped are reported by apply below.
      const t = await applier.target(m).catch(() => undefined);
      if (t) mapped.push(t);
    }
    await applySet.begin(mapped);
  }
  const report = await applier.apply(toApply);
  const misplaced = report.mappingErrors.filter((f) => f.error instanceof NamespaceMismatchError);
  const unmapped = report.mappingErrors.filter((f) => !misplaced.includes(f));
  const loadError = builderError(
    [...loaded.errors.map((e) => ({ index: e.index, error: e as Error })), ...unmapped.map((f) => ({ index: f.manifest.index, error: f.error }))],
    misplaced.map((f) => f.error),
  );
  const errors: Error[] = loadError ? [loadError] : [];
  errors.push(...report.failures.map((f) => f.error));

  if (applySet && errors.length === 0) {
    for (const p of await applySet.prune(report.results, argv.selector)) {
      if (output === 'default' || output === 'name') process.stdout.write(operationLine(p.resource, p.object, 'pruned', dryRun, output));
    }
    await applySet.commit(report.results);
  }

  if (output === 'yaml' || output === 'json') process.stdout.write(renderObjects(printed.map((r) => r.object), output));

  if (argv.wait && !dry) {
    const targets = report.results.filter((r) => waitsFor(r.target.resource));
    const failures = await waitForRollout(session.client, targets, timeoutMs);
    for (const f of failures) errors.push(new KtxError(`${objectName(f.result.target.resource, f.result.object)}: ${f.message}`));
  }

  if (errors.length) {
    process.stderr.write(reportErrors(errors));
    setExitCode(1);
  }
}
