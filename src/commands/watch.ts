// ktx watch TYPE [NAME]: `ktx get -w` that always opens the live table on a terminal (and prints
// kubectl's line stream when stdout is not one, or with --no-tui).
import type { Argv, CommandModule } from 'yargs';
import { getCommand, type GetArgs } from './get.js';

export const watchCommand: CommandModule<object, GetArgs> = {
  command: 'watch [args..]',
  describe: 'Watch resources in a live table (get -w)',
  builder: (y: Argv) => (getCommand.builder as (y: Argv) => Argv<GetArgs>)(y),
  handler: async (argv) => {
    const { runGetWatch } = await import('./get-watch.js');
    await runGetWatch({ ...argv, watch: true }, { alwaysLiveTable: true });
  },
};
