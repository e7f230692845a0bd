// Flags and values shared by apply, diff, delete and edit.
import type { Argv } from 'yargs';
import { UsageError } from '../../cli/errors.js';
import { parseGoDuration } from '../../lib/config/duration.js';
import { repeatable } from '../../cli/repeatable.js';

export interface FilenameFlags {
  filename?: string[];
  recursive?: boolean;
  kustomize?: string;
}

/**
 * Puts `-f -` (stdin) back: yargs does not take a lone `-` as the value of an array option (it
 * becomes a stray positional, or vanishes), so the -f values are rebuilt in order from the raw arguments.
 */
export function restoreStdinFilename(argv: { _: Array<string | number>; filename?: string[] }, raw: string[] = process.argv.slice(2)): void {
  const end = raw.indexOf('--');
  const args = end < 0 ? raw : raw.slice(0, end);
  if (!args.some((a, i) => a === '-' && (args[i - 1] === '-f' || args[i - 1] === '--filename'))) return;
  argv._ = argv._.filter((a) => a !== '-');
  const parsed = [...(argv.filename ?? [])];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--filename') {
      if (args[i + 1] === '-') out.push('-');
      else if (parsed.length) out.push(parsed.shift()!);
      i++;
    } else if (/^(-f|--filename)=/.test(a) && parsed.length) {
      out.push(parsed.shift()!);
    }
  }
  argv.filename = [...out, ...parsed];
}

/** `-f/--filename`, `-R/--recursive` and `-k/--kustomize` as kubectl declares them. */
export function withFilenameFlags<T>(y: Argv<T>, what: string): Argv<T & FilenameFlags> {
  return y
    .middleware((argv) => restoreStdinFilename(argv as unknown as { _: Array<string | number>; filename?: string[] }), true)
    .option('filename', { alias: 'f', type: 'string', coerce: repeatable, describe: `The files that contain the ${what}: files, directories, globs, URLs, or - for stdin` })
    .option('recursive', { alias: 'R', type: 'boolean', describe: 'Process the directory used in -f, --filename recursively' })
    .option('kustomize', { alias: 'k', type: 'string', describe: 'Process a kustomization directory (not supported by ktx)' }) as Argv<T & FilenameFlags>;
}

/** Refuses `-k`, which ktx does not implement. */
export function rejectKustomize(flags: FilenameFlags): void {
  if (flags.kustomize !== undefined) throw new UsageError('ktx does not support kustomize (-k); run `kustomize build DIR | ktx apply -f -` instead');
}

export type DryRun = 'none' | 'client' | 'server';

/**
 * `--dry-run` as kubectl reads it: `none`, `client`, `server`; bare `--dry-run` and `true`/`false`
 * still work with a deprecation warning.
 */
export function parseDryRun(value: string | boolean | undefined, warn: (text: string) => void): DryRun {
  if (value === undefined || value === false) return 'none';
  const v = value === true ? '' : value;
  switch (v) {
    case '':
      warn('--dry-run is deprecated and can be replaced with --dry-run=client.');
      return 'client';
    case 'true':
      warn('--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.');
      return 'client';
    case 'false':
      warn('--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.');
      return 'none';
    case 'none':
    case 'client':
    case 'server':
      return v;
    default:
      throw new UsageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
  }
}

/** The words kubectl appends to an operation in a dry run. */
export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

/** `--validate` → the server's fieldValidation (kubectl also accepts true/false). */
export function parseValidate(value: string | boolean | undefined): 'Strict' | 'Warn' | 'Ignore' {
  const v = value === undefined ? 'strict' : String(value).toLowerCase();
  switch (v) {
    case 'strict':
    case 'true':
      return 'Strict';
    case 'warn':
      return 'Warn';
    case 'ignore':
    case 'false':
      return 'Ignore';
    default:
      throw new UsageError(`invalid - validate option "${String(value)}"; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

/** A `--timeout` value (Go duration; a bare integer is seconds) in milliseconds. */
export function parseTimeout(value: string | undefined, flag = '--timeout'): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseGoDuration(value);
  if (ms === undefined) throw new UsageError(`invalid argument "${value}" for "${flag}" flag: time: invalid duration "${value}"`);
  return ms;
}
