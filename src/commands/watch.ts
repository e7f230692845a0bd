// ktx watch TYPE [NAME]: `ktx get -w` that opens the live table on a terminal for table output even
// with --watch-only or --output-watch-events; kubectl's line stream when stdout is not a terminal,
// with --no-tui, or for -o yaml, json, name and the like.
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
