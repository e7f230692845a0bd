// ktx exec: kubectl's exec over the library's target resolution and WebSocket exec.
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { parseGoDuration } from '../lib/config/duration.js';
import { KtxError } from '../lib/errors.js';
import { exec } from '../lib/streaming/exec.js';
import { defaultContainer } from '../lib/targets/container.js';
import { resolvePodTarget } from '../lib/targets/resolve.js';

export interface ExecArgs extends GlobalFlags {
  args?: string[];
  '--'?: string[];
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  'pod-running-timeout'?: string;
}

/** The flags exec and attach share: -c, -i, -t, -q and --pod-running-timeout, as kubectl words them. */
export function withSessionFlags(y: Argv): Argv {
  return y
      .option('container', {
      alias: 'c',
      type: 'string',
      describe: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    })
    .option('stdin', { alias: 'i', type: 'boolean', describe: 'Pass stdin to the container' })
    .option('tty', { alias: 't', type: 'boolean', describe: 'Stdin is a TTY' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Only print output from the remote session' })
    .option('pod-running-timeout', {
      type: 'string',
      default: '1m0s',
      describe: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
    });
}

export const execCommand: CommandModule<object, ExecArgs> = {
  command: 'exec [args..]',
  describe: 'Execute a command in a container',
  builder: (y: Argv) =>
    withSessionFlags(
      y
        .usage('Usage: ktx exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]')
        .positional('args', { type: 'string', array: true, describe: 'POD or TYPE/NAME' }),
    ) as unknown as Argv<ExecArgs>,
  handler: async (argv) => runExec(argv),
};

/** `--pod-running-timeout` in milliseconds, with kubectl's messages (and hints) for bad values. */
export function podRunningTimeout(value: string | undefined, command: string): number {
  const text = value ?? '1m0s';
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    throw new UsageError(`invalid argument "${text}" for "--pod-running-timeout" flag: time: invalid duration "${text}"`, `See 'ktx ${command} --help' for usage.`);
  }
  if (ms <= 0) throw new UsageError('--pod-running-timeout must be higher than zero', `See 'ktx ${command} -h' for help and examples`);
  return ms;
}

/**
 * kubectl's TTY decision (StreamOptions.SetupTTY): a TTY only with stdin, and only when stdin is a
 * terminal; otherwise say so (unless quiet) and carry on without.
 */
export function useTty(stdin: boolean, tty: boolean, quiet: boolean): boolean {
  if (!stdin || !tty) return false;
  if (process.stdin.isTTY) return true;
  if (!quiet) process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  return false;
}

const TERMINATION_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGQUIT'] as const;

/**
 * Runs a remote session as kubectl's TTY.Safe does. When the session reads a terminal (`guard`),
 * its state is saved, made raw when `raw`, and restored however the session ends: normally, with
 * an error, or on a termination signal (which aborts the session and exits 1, as kubectl's
 * interrupt handler does). Otherwise signals keep their default effect. A closed stdout (EPIPE)
 * exits 141 quietly.
 */
export async function withTerminal<T>(guard: boolean, raw: boolean, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    ac.abort();
  };
  const signals = guard ? TERMINATION_SIGNALS : [];
  for (const s of signals) process.on(s, onSignal);
  const wasRaw = guard ? process.stdin.isRaw : false;
  try {
    if (guard && raw) process.stdin.setRawMode(true);
    return await fn(ac.signal);
  } catch (err) {
    if (interrupted) throw new ExitCode(1);
    // Our reader went away (`| head`): end quietly with the status a SIGPIPE death gives, as kubectl's.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') throw new ExitCode(128 + 13);
    throw err;
  } finally {
    if (guard) process.stdin.setRawMode(wasRaw);
    for (const s of signals) process.off(s, onSignal);
  }
}

export async function runExec(argv: ExecArgs): Promise<void> {
  const positional = argv.args ?? [];
  const afterDash = argv['--'];
  if (afterDash === undefined && positional.length > 1) {
    throw new UsageError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead', "See 'ktx exec -h' for help and examples");
  }
  const timeoutMs = podRunningTimeout(argv['pod-running-timeout'], 'exec');
  const target = positional[0];
  const command = afterDash ?? [];
  if (!target) throw new UsageError('pod, type/name or --filename must be specified');
  if (command.length === 0) throw new UsageError('you must specify at least one command for the container');
  const quiet = !!argv.quiet;

  const session = await openSession(argv);
  const { pod } = await resolvePodTarget(session.client, session.namespace, target, { podRunningTimeoutMs: timeoutMs, discovery: session.discovery });
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KtxError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  let container = argv.container;
  if (!container) {
    const chosen = defaultContainer(pod, undefined);
    if (chosen.notice && !quiet) process.stderr.write(`${chosen.notice}\n`);
    container = chosen.name;
  }
  const stdin = !!argv.stdin;
  const tty = useTty(stdin, !!argv.tty, quiet);

  const result = await withTerminal(stdin && !!process.stdin.isTTY, tty, (signal) =>
    exec(session.client, {
      namespace: pod.metadata?.namespace ?? session.namespace,
      pod: pod.metadata?.name ?? '',
      container,
      command,
      ...(stdin ? { stdin: process.stdin } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      tty,
      ...(tty && process.stdout.isTTY ? { terminalSize: process.stdout } : {}),
      signal,
    }),
  );
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode, `command terminated with exit code ${result.exitCode}`);
}
