// The command line: yargs setup, global flags, and the one place where errors become messages and exit codes.
import yargs, { type CommandModule } from 'yargs';
import { commands, lazyCommands } from './commands/index.js';
import { reportError, UsageError } from './cli/errors.js';
import { takeExitCode } from './cli/exit.js';
import { withGlobalFlags } from './cli/global-flags.js';
import { interactiveTerminal } from './cli/terminal.js';
import { KTX_LIB_VERSION } from './lib/version.js';

/** Runs ktx with the given arguments; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  takeExitCode();
  const parser = withGlobalFlags(yargs(argv))
    .scriptName('ktx')
    .usage('ktx controls Kubernetes clusters: kubectl-compatible commands, with live views.\n\nUsage: ktx <command> [flags]')
    .version(KTX_LIB_VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .strictCommands()
    // kubectl has flags literally named --no-headers; there is no --no-<flag> negation.
    .parserConfiguration({ 'duplicate-arguments-array': true, 'populate--': true, 'boolean-negation': false })
    .exitProcess(false)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .showHelpOnFail(false)
    .fail((msg, err) => {
      // Throwing stops yargs from running the command's handler after a usage error.
      throw err ?? usageFromYargs(msg ?? '', argv);
    });
  // Before validation, so a missing value is reported rather than read as an empty string.
  parser.middleware((args) => {
    // yargs keeps the running command's options on the same instance; args._ is its command path.
    const missing = flagMissingItsValue(argv, (parser as unknown as { getOptions(): Parameters<typeof flagMissingItsValue>[1] }).getOptions());
    if (missing) throw new UsageError(`flag needs an argument: ${missing}`, `See '${['ktx', ...args._].join(' ')} --help' for usage.`);
  }, true);
  for (const c of commands) parser.command(c as CommandModule);
  parser.command('$0', false, () => undefined, async (args) => {
    // No command: the explorer on a terminal, help otherwise.
    if (interactiveTerminal()) {
      const { runUi } = await import('./commands/ui.js');
      await runUi(args as Parameters<typeof runUi>[0]);
      return;
    }
    parser.showHelp('log');
  });
  try {
    await parser.parseAsync();
  } catch (err) {
    takeExitCode();
    return reportError(err);
  }
  return takeExitCode();
}

/** `config`'s subcommands: cobra names the subcommand in its usage hints (`ktx config view --help`). */
const CONFIG_SUBCOMMANDS = new Set(['current-context', 'delete-cluster', 'delete-context', 'delete-user', 'get-clusters', 'get-contexts', 'get-users', 'rename-context', 'set-cluster', 'set-context', 'set-credentials', 'use-context', 'use', 'view']);

function usageFromYargs(msg: string, argv: string[]): UsageError {
  const words = argv.filter((a) => !a.startsWith('-'));
  const cmd = words[0] === 'config' && CONFIG_SUBCOMMANDS.has(words[1] ?? '') ? `config ${words[1]}` : words[0];
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) {
    const first = unknown[1]!.split(', ')[0]!;
    const asFlag = argv.find((a) => a.replace(/^-+/, '').split('=')[0] === first && a.startsWith('-'));
    if (asFlag) {
      return new UsageError(`unknown flag: ${asFlag.split('=')[0]}`, `See 'ktx ${cmd ?? ''} --help' for usage.`.replace('  ', ' '));
    }
    return new UsageError(`unknown command "${first}" for "ktx"${didYouMean(first)}`);
  }
  // An unknown subcommand (`config vew`): yargs says "Unknown command: vew".
  const sub = /^Unknown command: (.*)$/.exec(msg);
  if (sub) return new UsageError(`unknown command "${sub[1]}"`, `See 'ktx ${cmd ?? ''} -h' for help and examples`);
  return new UsageError(msg);
}

/** kubectl's order of its commands (cobra suggests in it); ktx's own commands follow. */
const SUGGESTION_ORDER = ['create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate', 'completion', 'alpha', 'api-versions', 'api-resources', 'config', 'plugin', 'version', 'options'];

/**
 * Cobra's suggestions for a mistyped command: every visible command within a case-insensitive
 * Levenshtein distance of 2, or that starts with what was typed, in kubectl's order.
 */
export function didYouMean(typed: string): string {
  const rank = (name: string) => (SUGGESTION_ORDER.includes(name) ? SUGGESTION_ORDER.indexOf(name) : SUGGESTION_ORDER.length);
  const names = lazyCommands
    .filter((c) => c.spec.describe !== false)
    .map((c) => c.spec.command.split(' ')[0]!)
    .sort((a, b) => rank(a) - rank(b));
  const lower = typed.toLowerCase();
  const close = names.filter((n) => levenshtein(lower, n.toLowerCase()) <= 2 || n.toLowerCase().startsWith(lower));
  return close.length ? `\n\nDid you mean this?\n${close.map((n) => `\t${n}`).join('\n')}` : '';
}

function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * pflag takes the next argument as a flag's value whatever it looks like, so only a value flag
 * given last has none: kubectl then fails with "flag needs an argument". yargs would read it as ''.
 * Returns pflag's wording of the flag (`'o' in -o`, `--output`), or undefined.
 */
export function flagMissingItsValue(argv: string[], options: { boolean: string[]; count: string[]; key: Record<string, unknown>; alias: Record<string, string[]> }): string | undefined {
  const last = argv.at(-1);
  if (!last || last.includes('=') || !/^-{1,2}[^-]/.test(last)) return undefined;
  const long = last.startsWith('--');
  const key = long ? last.slice(2) : last.at(-1)!;
  const names = [key, ...(options.alias[key] ?? []), ...Object.entries(options.alias).filter(([, as]) => as.includes(key)).map(([k]) => k)];
  if (!names.some((n) => n in options.key)) return undefined; // unknown: strict mode reports it
  if (names.some((n) => options.boolean.includes(n) || options.count.includes(n))) return undefined;
  return long ? last : `'${key}' in ${last}`;
}
