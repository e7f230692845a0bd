// A CLI process left running in the background (logs -f, port-forward, attach): its output
// collected as it comes, and how it ended.
import type { ResultPromise } from 'execa';
import type { CliResult } from './differential.js';

export interface Collected {
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number | undefined;
  /** How the process ended (never rejects). */
  readonly ended: Promise<CliResult>;
  /** Sends `signal`, then resolves with how the process ended. */
  stop(signal: NodeJS.Signals): Promise<CliResult>;
}

export function collect(proc: ResultPromise): Collected {
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const ended = proc.then((r) => ({ stdout: out, stderr: err, exitCode: r.exitCode ?? -1 }));
  return {
    get stdout() {
      return out;
    },
    get stderr() {
      return err;
    },
    pid: proc.pid,
    ended,
    stop: (signal) => {
      proc.kill(signal);
      return ended;
    },
  };
}
