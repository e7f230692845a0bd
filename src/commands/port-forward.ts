// ktx port-forward: kubectl's port-forward over the library's PortForwarder (which also follows rollouts).
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { PortForwarder } from '../lib/streaming/port-forwarder.js';
import { resolvePodTarget } from '../lib/targets/resolve.js';
import { podRunningTimeout } from './exec.js';

interface PortForwardArgs extends GlobalFlags {
  args?: string[];
  address?: string[];
  'pod-running-timeout'?: string;
}

export const portForwardCommand: CommandModule<object, PortForwardArgs> = {
  command: 'port-forward [args..]',
  describe: 'Forward one or more local ports to a pod',
  builder: (y: Argv) =>
    y
      .usage('Usage: ktx port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]')
      .positional('args', { type: 'string', array: true, describe: 'TYPE/NAME (or POD) and the ports' })
      .option('address', {
        type: 'string',
        array: true,
        default: ['localhost'],
        describe: 'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, ktx will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.',
      })
      .option('pod-running-timeout', {
        type: 'string',
        default: '1m0s',
        describe: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
      })
      .epilogue(
        'Connections to a pod share one WebSocket that tunnels SPDY (SPDY/3.1+portforward.k8s.io), as kubectl does. ' +
          'KTX_PORT_FORWARD_TUNNEL=false opens a v4.channel.k8s.io WebSocket per connection instead, as ktx also does by itself when the server refuses the tunnel.',
      ) as unknown as Argv<PortForwardArgs>,
  handler: async (argv) => runPortForward(argv),
};

/** A klog error line as kubectl's runtime.HandleError prints it. */
function klogError(message: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const when = `${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
  return `E${when} ${String(process.pid).padStart(7)} portforward.go:424] "Unhandled Error" err=${JSON.stringify(message)}\n`;
}

export async function runPortForward(argv: PortForwardArgs): Promise<void> {
  const args = argv.args ?? [];
  if (args.length < 2) {
    throw new UsageError('TYPE/NAME and list of ports are required for port-forward', "See 'ktx port-forward -h' for help and examples");
  }
  const timeoutMs = podRunningTimeout(argv['pod-running-timeout'], 'port-forward');
  const addresses = (argv.address ?? ['localhost']).flatMap((a) => a.split(','));
  const session = await openSession(argv);
  const target = await resolvePodTarget(session.client, session.namespace, args[0]!, { podRunningTimeoutMs: timeoutMs, discovery: session.discovery });
  const forwarder = new PortForwarder(session.client, {
    target,
    ports: args.slice(1),
    addresses,
    podRunningTimeoutMs: timeoutMs,
    onOutput: (line) => process.stdout.write(`${line}\n`),
    onNotice: (line) => process.stderr.write(`${line}\n`),
    onError: (err) => process.stderr.write(klogError(err.message)),
  });
  await forwarder.start();
  const stop = () => void forwarder.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await forwarder.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
