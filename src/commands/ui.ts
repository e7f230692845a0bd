// ktx ui [TYPE]: the interactive, k9s-style explorer over the current context (also what `ktx`
// with no arguments opens on a terminal).
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { interactiveTerminal, notInteractiveReason } from '../cli/terminal.js';

export interface UiArgs extends GlobalFlags {
  type?: string;
  'all-namespaces'?: boolean;
}

export async function runUi(argv: UiArgs): Promise<void> {
  if (!interactiveTerminal()) throw new UsageError(`ktx ui needs an interactive terminal: ${notInteractiveReason()}`);
  const session = await openSession(argv);
  const { runExplorer } = await import('../ui/tui/explorer/run.js');
  // `:ctx NAME` keeps every other flag; the namespace is the new context's own.
  const { namespace: _namespace, ...flags } = argv;
  const openContext = (context: string) => openSession({ ...flags, context });
  await runExplorer({ session, openContext, ...(argv.type ? { type: argv.type } : {}), ...(argv['all-namespaces'] ? { allNamespaces: true } : {}) });
}

export const uiCommand: CommandModule<object, UiArgs> = {
  command: 'ui [type]',
  describe: 'Open the interactive explorer (k9s-style) over the current context',
  builder: (y: Argv) =>
    y
      .positional('type', { type: 'string', describe: 'Resource type to show first (default pods)' })
      .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'Start over all namespaces' }) as unknown as Argv<UiArgs>,
  handler: runUi,
};
