// The command line: yargs setup, and the one place where errors become messages and exit codes.
import yargs from 'yargs';
import { KTX_LIB_VERSION as KTX_VERSION } from './lib/version.js';

/** Runs ktx with the given arguments; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('ktx')
    .usage('ktx controls a Kubernetes cluster, like kubectl, with live views.\n\nUsage: ktx <command> [flags]')
    .version(KTX_VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .strictCommands()
    .demandCommand(1, 'You must specify a command. Run ktx --help for the list.')
    .exitProcess(false)
    .wrap(Math.min(120, process.stdout.columns || 80));

  let usageError: string | undefined;
  parser.fail((msg, err) => {
    if (err) throw err;
    usageError = msg;
  });
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (usageError) {
    process.stderr.write(`error: ${usageError}\n`);
    return 1;
  }
  return 0;
}
