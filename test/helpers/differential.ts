// Runs the same invocation through ktx and the reference kubectl, for kubectl-compatibility tests.
import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { expect } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster } from './cluster.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const ktxBin = join(repoRoot, 'bin/ktx.js');

/** Runs the built ktx (bin/ktx.js → dist/) against the local cluster. */
export async function ktx(args: string[], opts: Options = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [ktxBin, ...args], {
    reject: false,
    timeout: 60_000,
    ...opts,
    env: { KUBECONFIG: cluster().kubeconfig, ...(opts.env as object) },
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** Runs the reference kubectl against the local cluster. */
export async function refKubectl(args: string[], opts: Options = {}): Promise<CliResult> {
  const r = await execa(cluster().kubectl, args, {
    reject: false,
    timeout: 60_000,
    ...opts,
    env: { KUBECONFIG: cluster().kubeconfig, ...(opts.env as object) },
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/**
 * What may legitimately differ between the two runs: the program's own name in usage hints
 * (`ktx get -h` vs `kubectl get -h`), and relative times (AGE columns and `(5m ago)`), which depend
 * on the moment each command ran.
 */
export interface Normalise {
  /** Replace age-like tokens (`5s`, `3m2s`, `47h`, `<invalid>`) in table output. */
  ages?: boolean;
  /** Extra replacements applied to both sides. */
  replace?: Array<[RegExp, string]>;
}

const AGE = /(?<=\s|^)(\d+y)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(?=\s|$)/gm;

export function normalise(text: string, n: Normalise = {}, collapseSpaces = false): string {
  let t = text.replace(/\bkubectl\b/g, 'ktx');
  // Same-width placeholders keep column alignment comparable.
  if (n.ages) t = t.replace(AGE, (m) => (m ? 'A'.repeat(m.length) : m));
  // When the two runs' ages differ in width (2m9s vs 2m10s), column widths legitimately differ too.
  if (collapseSpaces) t = t.replace(/A+/g, 'A').replace(/ {2,}/g, '  ');
  for (const [re, to] of n.replace ?? []) t = t.replace(re, to);
  return t;
}

function ageWidths(text: string): string {
  return [...text.matchAll(AGE)].filter((m) => m[0]).map((m) => m[0].length).join(',');
}

/** Runs both and asserts stdout, stderr and exit code agree (after normalisation). */
export async function expectSameAsKubectl(args: string[], n: Normalise = {}, opts: Options = {}): Promise<CliResult> {
  // Compared with their final newlines, so a missing or extra one is caught; returned without, like ktx().
  const exact = { stripFinalNewline: false, ...opts } as Options;
  const [mine, theirs] = await Promise.all([ktx(args, exact), refKubectl(args, exact)]);
  const collapse = !!n.ages && ageWidths(mine.stdout) !== ageWidths(theirs.stdout);
  const view = (r: CliResult) => ({ exitCode: r.exitCode, stdout: normalise(r.stdout, n, collapse), stderr: normalise(r.stderr, n, collapse) });
  expect(view(mine), `ktx ${args.join(' ')}`).toEqual(view(theirs));
  const strip = (t: string) => t.replace(/\n$/, '');
  return { ...mine, stdout: strip(mine.stdout), stderr: strip(mine.stderr) };
}
