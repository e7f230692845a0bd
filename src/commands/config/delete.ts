// `config delete-context`, `delete-cluster`, `delete-user` and `rename-context`, with kubectl's
// texts and its argument quirks (delete-context and delete-cluster show their help and succeed
// unless given exactly one name; delete-user and rename-context fail).
import type { Argv, CommandModule } from 'yargs';
import { KtxError } from '../../lib/errors.js';
import { UsageError } from '../../cli/errors.js';
import type { GlobalFlags } from '../../cli/global-flags.js';
import { goQuote } from '../../ui/print/gofmt.js';
import { defaultWriteTarget } from '../../lib/config/index.js';
import { configAccess, modifyConfig, startingConfig } from './access.js';
import { CommandHelp } from './help.js';

interface NamesArgs extends GlobalFlags {
  names?: string[];
}

type Kind = 'context' | 'cluster' | 'user';

/** The file kubectl names in these messages: `--kubeconfig`, or client-go's default file. */
async function namedFile(argv: GlobalFlags): Promise<string> {
  const rules = configAccess(argv.kubeconfig);
  return rules.explicitPath ?? defaultWriteTarget(rules);
}

function deleteCommand(kind: Kind, describe: string, onWrongArgs: 'help' | string): CommandModule<GlobalFlags, NamesArgs> {
  const help = new CommandHelp();
  return {
    command: `delete-${kind} [names..]`,
    describe,
    builder: (y: Argv<GlobalFlags>) => {
      help.keep(y);
      return y.positional('names', { type: 'string', array: true, describe: `The ${kind} to delete` }) as unknown as Argv<NamesArgs>;
    },
    handler: async (argv) => {
      const names = argv.names ?? [];
      if (names.length !== 1) {
        if (onWrongArgs !== 'help') throw new UsageError(onWrongArgs, `See 'ktx config delete-${kind} -h' for help and examples`);
        help.show();
        return;
      }
      const name = names[0]!;
      const rules = configAccess(argv.kubeconfig);
      const kubeconfig = await startingConfig(rules);
      const file = await namedFile(argv);
      const exists = kind === 'context' ? kubeconfig.context(name) : kind === 'cluster' ? kubeconfig.cluster(name) : kubeconfig.user(name);
      if (!exists) throw new KtxError(`cannot delete ${kind} ${name}, not in ${file}`);
      if (kind === 'context' && kubeconfig.currentContext === name) {
        process.stderr.write('warning: this removed your active context, use "ktx config use-context" to select a different one\n');
      }
      await modifyConfig(rules, { remove: { kind, name } });
      process.stdout.write(`deleted ${kind} ${name} from ${file}\n`);
    },
  };
}

export const deleteContextCommand = deleteCommand('context', 'Delete the specified context from the kubeconfig', 'help');
export const deleteClusterCommand = deleteCommand('cluster', 'Delete the specified cluster from the kubeconfig', 'help');
export const deleteUserCommand = deleteCommand('user', 'Delete the specified user from the kubeconfig', 'user to delete is required');

const renameHelp = new CommandHelp();

export const renameContextCommand: CommandModule<GlobalFlags, NamesArgs> = {
  command: 'rename-context [names..]',
  describe: 'Rename a context from the kubeconfig file (the current-context follows)',
  builder: (y: Argv<GlobalFlags>) => {
    return renameHelp.keep(y).usage('$0 config rename-context CONTEXT_NAME NEW_NAME').positional('names', { type: 'string', array: true, describe: 'CONTEXT_NAME NEW_NAME' }) as unknown as Argv<NamesArgs>;
  },
  handler: async (argv) => {
    const names = argv.names ?? [];
    if (names.length !== 2) throw renameHelp.unexpectedArgs(names);
    const [from, to] = names as [string, string];
    if (to === '') throw new KtxError('You must specify a new non-empty context name');
    const rules = configAccess(argv.kubeconfig);
    const kubeconfig = await startingConfig(rules);
    const file = await namedFile(argv);
    const context = kubeconfig.context(from);
    if (!context) throw new KtxError(`cannot rename the context ${goQuote(from)}, it's not in ${file}`);
    if (kubeconfig.context(to)) throw new KtxError(`cannot rename the context ${goQuote(from)}, the context ${goQuote(to)} already exists in ${file}`);
    // The entry keeps the file it came from; the current-context follows it.
    const origin = kubeconfig.originOf('context', from);
    await modifyConfig(rules, {
      ...(kubeconfig.currentContext === from ? { currentContext: to } : {}),
      context: { name: to, context: structuredClone(context), ...(origin ? { origin } : {}) },
      remove: { kind: 'context', name: from },
    });
    process.stdout.write(`Context ${goQuote(from)} renamed to ${goQuote(to)}.\n`);
  },
};
