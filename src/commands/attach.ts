// ktx attach: kubectl's attach over the library's target resolution and WebSocket attach.
import { on } from 'node:events';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { KtxError } from '../lib/errors.js';
import { attach } from '../lib/streaming/exec.js';
import type { TerminalSize } from '../lib/streaming/terminal-size.js';
import { defaultContainer } from '../lib/targets/container.js';
import { resolvePodTarget } from '../lib/targets/resolve.js';
import { podRunningTimeout, useTty, withSessionFlags, withTerminal } from './exec.js';

interface AttachArgs extends GlobalFlags {
  args?: string[];
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  'pod-running-timeout'?: string;
}

export const attachCommand: CommandModule<object, AttachArgs> = {
  command: 'attach [args..]',
  describe: 'Attach to a running container',
  builder: (y: Argv) =>
    withSessionFlags(
      y
        .usage('Usage: ktx attach (POD | TYPE/NAME) -c CONTAINER [flags]')
        .positional('args', { type: 'string', array: true, describe: 'POD, TYPE/NAME, or TYPE NAME' }),
    ) as unknown as Argv<AttachArgs>,
  handler: async (argv) => runAttach(argv),
};

/** The local terminal's sizes, first one cell larger so a re-attached full-screen program redraws (as kubectl does). */
async function* redrawingSizes(signal: AbortSignal): AsyncGenerator<TerminalSize> {
  const out = process.stdout;
  yield { cols: out.columns + 1, rows: out.rows + 1 };
  yield { cols: out.columns, rows: out.rows };
  for await (const _ of on(out, 'resize', { signal })) yield { cols: out.columns, rows: out.rows };
}

export async function runAttach(argv: AttachArgs): Promise<void> {
  const timeoutMs = podRunningTimeout(argv['pod-running-timeout'], 'attach');
  const args = argv.args ?? [];
  if (args.length === 0) throw new UsageError('at least 1 argument is required for attach');
  if (args.length > 2) throw new UsageError(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  const quiet = !!argv.quiet;

  const session = await openSession(argv);
  const target = args.length === 2 ? `${args[0]}/${args[1]}` : args[0]!;
  const { pod } = await resolvePodTarget(session.client, session.namespace, target, { podRunningTimeoutMs: timeoutMs, discovery: session.discovery });
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new KtxError(`cannot attach a container in a completed pod; current phase is ${phase}`);
  let container;
  try {
    container = defaultContainer(pod, argv.container);
  } catch (err) {
    throw new KtxError(`cannot attach to the container: ${(err as Error).message}`);
  }
  if (container.notice && !quiet) process.stderr.write(`${container.notice}\n`);
  let wantTty = !!argv.tty;
  const allocated = !!container.spec.tty;
  if (wantTty && !allocated) {
    wantTty = false;
    if (!quiet) process.stderr.write(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  } else if (!wantTty && allocated) {
    wantTty = true;
  }
  const stdin = !!argv.stdin;
  const tty = useTty(stdin, wantTty, quiet);
  if (!quiet) {
    process.stderr.write(
      'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
        "If you don't see a command prompt, try pressing enter.\n",
    );
  }
  const namespace = pod.metadata?.namespace ?? session.namespace;
  const podName = pod.metadata?.name ?? '';
  const sizes = new AbortController();
  const result = await withTerminal(stdin && !!process.stdin.isTTY, tty, (signal) =>
    attach(session.client, {
      namespace,
      pod: podName,
      container: container.name,
      ...(stdin ? { stdin: process.stdin } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      tty,
      ...(tty && process.stdout.isTTY ? { terminalSize: redrawingSizes(sizes.signal) } : {}),
      signal,
    }),
  ).finally(() => sizes.abort());
  if (!quiet && stdin && tty) {
    const how = container.kind === 'ephemeral' ? 'Session ended, the ephemeral container will not be restarted but may be reattached using' : 'Session ended, resume using';
    const suffix = container.kind === 'ephemeral' ? ' if it is still running' : ' command';
    process.stdout.write(`${how} 'ktx attach ${podName} -c ${container.name} -n ${namespace} -i -t'${suffix}\n`);
  }
  if (result.exitCode !== 0) throw new ExitCode(result.exitCode, `command terminated with exit code ${result.exitCode}`);
}
