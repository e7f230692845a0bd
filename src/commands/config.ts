// `ktx config SUBCOMMAND`: read and edit kubeconfig files exactly as `kubectl config` does.
import type { Argv, CommandModule } from 'yargs';
import type { GlobalFlags } from '../cli/global-flags.js';
import { currentContextCommand, getContextsCommand, setContextCommand, useContextCommand } from './config/contexts.js';
import { deleteClusterCommand, deleteContextCommand, deleteUserCommand, renameContextCommand } from './config/delete.js';
import { getClustersCommand, getUsersCommand } from './config/entries.js';
import { setClusterCommand, setCredentialsCommand } from './config/set-entries.js';
import { viewCommand } from './config/view.js';

const subcommands = [
  currentContextCommand,
  deleteClusterCommand,
  deleteContextCommand,
  deleteUserCommand,
  getClustersCommand,
  getContextsCommand,
  getUsersCommand,
  renameContextCommand,
  setClusterCommand,
  setContextCommand,
  setCredentialsCommand,
  useContextCommand,
  viewCommand,
] as Array<CommandModule<GlobalFlags, never>>;

let configParser: Argv<GlobalFlags> | undefined;

export const configCommand: CommandModule<GlobalFlags, GlobalFlags> = {
  command: 'config',
  describe: 'Modify kubeconfig files',
  builder: (y) => {
    configParser = y;
    for (const c of subcommands) y.command(c);
    return y;
  },
  // Without a subcommand kubectl shows the help and succeeds.
  handler: () => {
    configParser?.showHelp('log');
  },
};
