// `ktx completion bash|zsh` prints a completion script; the script calls the hidden `ktx __complete`.
import type { CommandModule } from 'yargs';
import { completeDynamic, flagsFromWords, type Completion } from '../cli/completion.js';
import { COMPLETION_SCRIPTS, NO_FILE_COMPLETION } from '../cli/completion-scripts.js';
import { UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';

const HINT = "See 'ktx completion -h' for help and examples";

interface CompletionArgs extends GlobalFlags {
  shell?: string[];
}

export const completionCommand: CommandModule<GlobalFlags, CompletionArgs> = {
  command: 'completion [shell..]',
  describe: 'Output shell completion code for the specified shell (bash or zsh)',
  builder: (y) => y.positional('shell', { type: 'string', array: true, describe: 'bash or zsh' }),
  handler: (argv) => {
    const shells = argv.shell ?? [];
    if (shells.length === 0) throw new UsageError('Shell not specified.', HINT);
    if (shells.length > 1) throw new UsageError('Too many arguments. Expected only the shell type.', HINT);
    const script = COMPLETION_SCRIPTS[shells[0]!];
    if (!script) throw new UsageError(`Unsupported shell type "${shells[0]}".`, HINT);
    process.stdout.write(script);
  },
};

// Commands and flags: yargs' own completion over a parser set up like the real one.
async function printStaticCompletions(words: string[]): Promise<void> {
  const [{ default: yargs }, { commands }, { withGlobalFlags }, { KTX_LIB_VERSION }] = await Promise.all([
    import('yargs'),
    import('./index.js'),
    import('../cli/global-flags.js'),
    import('../lib/version.js'),
  ]);
  // yargs appends descriptions when it believes it runs under zsh; the scripts want bare words.
  const shell = process.env.SHELL;
  process.env.SHELL = '';
  try {
    const parser = withGlobalFlags(yargs(['--get-yargs-completions', 'ktx', ...words]))
      .scriptName('ktx')
      .help()
      .alias('h', 'help')
      .version(KTX_LIB_VERSION)
      .exitProcess(false);
    for (const c of commands) parser.command(c as CommandModule);
    await parser.parseAsync();
  } finally {
    process.env.SHELL = shell;
  }
}

interface CompleteArgs extends GlobalFlags {
  '--'?: Array<string | number>;
}

export const completeCommand: CommandModule<GlobalFlags, CompleteArgs> = {
  command: '__complete',
  describe: false,
  handler: async (argv) => {
    const words = (argv['--'] ?? []).map(String);
    let result: Completion | undefined;
    try {
      const { clusterSources } = await import('../cli/completion-sources.js');
      result = await completeDynamic(words, (parsed) => clusterSources(flagsFromWords(parsed), parsed.flags.has('A') || parsed.flags.has('all-namespaces')));
    } catch {
      // A completion that cannot be computed offers nothing rather than an error in the prompt.
      result = { candidates: [], files: false };
    }
    if (result === undefined) {
      try {
        await printStaticCompletions(words);
      } catch {
        // As above: no candidates.
      }
      result = { candidates: [], files: false };
    }
    process.stdout.write([...result.candidates, `:${result.files ? 0 : NO_FILE_COMPLETION}`].map((l) => `${l}\n`).join(''));
  },
};
