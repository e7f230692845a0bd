// ktx diff: the live objects against what an apply would make of them, as a unified diff.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { setExitCode } from '../cli/exit.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { Api } from '../lib/api/api.js';
import type { KubeObject } from '../lib/api/resource.js';
import { Applier, type ApplyTarget } from '../lib/apply/apply.js';
import { diffFileName, isSecret, maskSecretData, withoutManagedFields } from '../lib/apply/diff.js';
import { ApplyConflictError } from '../lib/apply/errors.js';
import { loadManifests, matchesLabels, NamespaceMismatchError, parseLabelSelector } from '../lib/manifests/index.js';
import { toYaml } from '../ui/print/index.js';
import { builderError, reportErrors } from './write/errors.js';
import { parseValidate, rejectKustomize, withFilenameFlags, type FilenameFlags } from './write/flags.js';

export interface DiffArgs extends GlobalFlags, FilenameFlags {
  'server-side'?: boolean;
  'force-conflicts'?: boolean;
  'field-manager'?: string;
  'show-managed-fields'?: boolean;
  selector?: string;
  validate?: string;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff',
  describe: 'Diff the live version against the version that would be applied',
  builder: (y: Argv) =>
    withFilenameFlags(y, 'configuration to diff')
      .option('server-side', { type: 'boolean', default: true, describe: 'Compute the result with server-side apply (--server-side=false: client-side apply)' })
      .option('force-conflicts', { type: 'boolean', describe: 'Server-side apply: take over fields other managers own' })
      .option('field-manager', { type: 'string', describe: 'Name of the manager used to track field ownership' })
      .option('show-managed-fields', { type: 'boolean', describe: 'Include managedFields in the diff' })
      .option('selector', { alias: 'l', type: 'string', describe: 'Selector (label query) to filter on' })
      .option('validate', { type: 'string', default: 'strict', describe: 'Field validation on the server: strict, warn or ignore' }) as unknown as Argv<DiffArgs>,
  handler: async (argv) => runDiff(argv),
};

/** kubectl diff's failure exit code: >1, so that 1 keeps meaning "there are differences". */
const ERROR_EXIT = 2;

function fail(errors: Error[]): void {
  process.stderr.write(reportErrors(errors));
  setExitCode(ERROR_EXIT);
}

/**
 * The diff program and its arguments: `$KTX_EXTERNAL_DIFF` or `$KUBECTL_EXTERNAL_DIFF` (its first
 * word is the program; further words are kept when made of letters, digits, `-` and `=`, and go
 * after the two directories, as kubectl does), else `diff -u -N`.
 */
function diffProgram(from: string, to: string): { file: string; args: string[]; external: boolean } {
  const env = process.env.KTX_EXTERNAL_DIFF || process.env.KUBECTL_EXTERNAL_DIFF;
  if (!env) return { file: 'diff', args: ['-u', '-N', from, to], external: false };
  const [file = 'diff', ...rest] = env.split(' ');
  return { file, args: [from, to, ...rest.filter((a) => /^[a-zA-Z0-9-=]+$/.test(a))], external: true };
}

function colorize(text: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (l.startsWith('+++') || l.startsWith('---') || l.startsWith('diff ')) return `\x1b[1m${l}\x1b[0m`;
      if (l.startsWith('@@')) return `\x1b[36m${l}\x1b[0m`;
      if (l.startsWith('+')) return `\x1b[32m${l}\x1b[0m`;
      if (l.startsWith('-')) return `\x1b[31m${l}\x1b[0m`;
      return l;
    })
    .join('\n');
}

/** Runs diff; every failure exits with 2 (kubectl's CheckDiffErr), so that 1 keeps meaning "differences". */
export async function runDiff(argv: DiffArgs): Promise<void> {
  try {
    await diff(argv);
  } catch (err) {
    fail([err instanceof Error ? err : new Error(String(err))]);
  }
}

async function diff(argv: DiffArgs): Promise<void> {
  rejectKustomize(argv);
  if (!argv.filename?.length) throw new UsageError('must specify one of -f and -k');
  const serverSide = argv['server-side'] !== false;
  if (argv['force-conflicts'] && !serverSide) throw new UsageError('--force-conflicts only works with --server-side');
  const fieldValidation = parseValidate(argv.validate);
  const selector = argv.selector ? parseLabelSelector(argv.selector) : undefined;

  const loaded = await loadManifests(argv.filename, { recursive: !!argv.recursive });
  const manifests = selector ? loaded.manifests.filter((m) => matchesLabels(selector, m.object.metadata?.labels)) : loaded.manifests;
  const session = await openSession(argv);
  const applier = new Applier(session.client, session.discovery, {
    mode: serverSide ? 'server' : 'client',
    fieldManager: argv['field-manager'] ?? (serverSide ? 'ktx' : 'ktx-client-side-apply'),
    forceConflicts: !!argv['force-conflicts'],
    dryRun: 'server',
    annotate: false,
    fieldValidation,
    namespace: session.namespace,
    enforceNamespace: session.namespaceExplicit,
    programName: 'ktx',
  });

  const decode: Array<{ index: number; error: Error }> = loaded.errors.map((e) => ({ index: e.index, error: e }));
  const objectErrors: Error[] = [];
  const targets: ApplyTarget[] = [];
  for (const m of manifests) {
    try {
      targets.push(await applier.target(m));
    } catch (err) {
      if (err instanceof NamespaceMismatchError) objectErrors.push(err);
      else decode.push({ index: m.index, error: err as Error });
    }
  }
  const loadError = builderError(decode, objectErrors);
  const errors: Error[] = loadError ? [loadError] : [];
  const pairs: Array<{ file: string; live: KubeObject | undefined; merged: KubeObject | undefined }> = [];
  // kubectl diff stops at the first object it cannot compute.
  for (const t of errors.length ? [] : targets) {
    try {
      const name = t.object.metadata?.name ?? '';
      const ns = t.resource.namespaced ? (t.object.metadata?.namespace ?? '') : '';
      const api = t.resource.namespaced ? Api.namespaced(session.client, t.resource, ns) : Api.cluster(session.client, t.resource);
      const live = name ? await api.getOpt(name) : undefined;
      const merged = (await applier.applyOne(t)).object;
      pairs.push({ file: diffFileName(t.resource, ns, name), live, merged });
    } catch (err) {
      errors.push(err instanceof ApplyConflictError ? err.cause : (err as Error));
      break;
    }
  }
  if (errors.length) return fail(errors);

  const liveDir = await mkdtemp(join(tmpdir(), 'LIVE-'));
  const mergedDir = await mkdtemp(join(tmpdir(), 'MERGED-'));
  try {
    for (const p of pairs) {
      let from = argv['show-managed-fields'] ? p.live : withoutManagedFields(p.live);
      let to = argv['show-managed-fields'] ? p.merged : withoutManagedFields(p.merged);
      // A missing live object has no file (diff -N reads it as empty), except that kubectl's Secret
      // masking turns it into an empty object, which prints as `null`.
      const secret = isSecret(to);
      if (secret) ({ from, to } = maskSecretData(from, to));
      if (from || secret) await writeFile(join(liveDir, p.file), from ? toYaml(from) : 'null\n');
      if (to) await writeFile(join(mergedDir, p.file), toYaml(to));
    }
    const program = diffProgram(liveDir, mergedDir);
    const { execa } = await import('execa');
    const color = !program.external && !!process.stdout.isTTY;
    const run = await execa(program.file, program.args, { reject: false, stdout: color ? 'pipe' : 'inherit', stderr: 'inherit', stdin: 'inherit' });
    if (color && run.stdout) process.stdout.write(`${colorize(String(run.stdout))}\n`);
    if (run.failed && run.exitCode === undefined) {
      return fail([new Error(`failed to run "${program.file}": ${run.shortMessage}`)]);
    }
    // diff's 1 means "differences"; anything above is a failure of the program.
    if (run.exitCode && run.exitCode > 1) return fail([new Error(`failed to run "${program.file}": exit status ${run.exitCode}`)]);
    if (run.exitCode) setExitCode(run.exitCode);
  } finally {
    await rm(liveDir, { recursive: true, force: true });
    await rm(mergedDir, { recursive: true, force: true });
  }
}
