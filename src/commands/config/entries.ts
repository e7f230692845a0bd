// `config get-clusters` and `config get-users`: a NAME header and one name per line.
import type { CommandModule } from 'yargs';
import type { GlobalFlags } from '../../cli/global-flags.js';
import { compareCodePoints } from '../../ui/print/gofmt.js';
import { configAccess, startingConfig } from './access.js';

function namesCommand(command: string, describe: string, list: 'clusters' | 'users'): CommandModule<GlobalFlags, GlobalFlags> {
  return {
    command,
    describe,
    handler: async (argv) => {
      const kubeconfig = await startingConfig(configAccess(argv.kubeconfig));
      // kubectl lists clusters in Go map order (random); sorted is one of the orders it prints.
      const names = kubeconfig.config[list].map((e) => e.name).sort(compareCodePoints);
      process.stdout.write(['NAME', ...names].map((n) => `${n}\n`).join(''));
    },
  };
}

export const getClustersCommand = namesCommand('get-clusters', 'Display clusters defined in the kubeconfig', 'clusters');
export const getUsersCommand = namesCommand('get-users', 'Display users defined in the kubeconfig', 'users');
