// kubectl prints a config command's help before some argument-count errors (and instead of
// running, for others): each builder keeps its help here for the handler.
import type { Argv } from 'yargs';
import { UsageError } from '../../cli/errors.js';

export class CommandHelp {
  #show: (() => void) | undefined;

  /** Call in the builder: remembers how to print this command's help. */
  keep<T>(y: Argv<T>): Argv<T> {
    this.#show = () => y.showHelp('log');
    return y;
  }

  show(): void {
    this.#show?.();
  }

  /** Prints the help and returns kubectl's `Unexpected args: [a b]` (`unexpected` for some commands) to throw. */
  unexpectedArgs(args: readonly string[], word: 'Unexpected' | 'unexpected' = 'Unexpected'): UsageError {
    this.show();
    return new UsageError(`${word} args: [${args.join(' ')}]`);
  }
}
