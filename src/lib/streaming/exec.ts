// exec and attach: remote commands in a pod's container over WebSockets.
import type { Client } from '../client.js';
import { resourcePath } from '../api/resource.js';
import type { QueryValue } from '../http/transport.js';
import { pods } from '../types/resources.js';
import { V4_CHANNEL_PROTOCOL, V5_CHANNEL_PROTOCOL } from './protocol.js';
import { runRemoteCommand, type RemoteCommandResult, type SessionStreams } from './remote-command.js';
import { openChannelSocket } from './socket.js';

/** Options of {@link attach}; {@link exec} adds the command. */
export interface AttachOptions extends SessionStreams {
  namespace: string;
  pod: string;
  /** The container; the server picks the pod's only container when omitted (and fails with several). */
  container?: string;
  /**
   * `auto` (default) offers `v5.channel.k8s.io` then `v4.channel.k8s.io`: the apiserver (1.30+)
   * serves v5 itself and proxies v4 to the kubelet. `v4` offers only v4 (no stdin EOF).
   */
  protocol?: 'auto' | 'v4';
  /** Give up on the upgrade after this long (default 30 s). */
  handshakeTimeoutMs?: number;
}

/** Options of {@link exec}. */
export interface ExecOptions extends AttachOptions {
  /** The argv to run, passed as-is (no shell). */
  command: string[];
}

export type { RemoteCommandResult } from './remote-command.js';

/**
 * Runs a command in a container: `GET /api/v1/namespaces/NS/pods/P/exec?command=…&container=C&stdin=…&stdout=…&stderr=…&tty=…`
 * upgraded to a WebSocket speaking the channel protocol. Streams that are given are requested
 * (with `tty`, stderr is not: the remote pty merges it into stdout). With `tty`, the terminal size
 * is sent at once and on every change (`[4]{"Width":c,"Height":r}`). stdin's end becomes `[255, 0]`
 * on v5. Resolves after the server closed the session and stdout/stderr were flushed, with the
 * exit code from the Status on channel 3 (`Success` → 0, `NonZeroExitCode` → its `ExitCode`
 * cause); any other Failure rejects with a StreamStatusError carrying the server's message, a
 * refused upgrade with an ApiError.
 */
export async function exec(client: Client, o: ExecOptions): Promise<RemoteCommandResult> {
  return session(client, 'exec', { command: o.command }, o);
}

/**
 * Attaches to the main process of a running container (`/attach`, same protocol and result as
 * {@link exec}): its output from now on and, with `stdin`, its input. Ends when the process ends
 * or `signal` aborts.
 */
export async function attach(client: Client, o: AttachOptions): Promise<RemoteCommandResult> {
  return session(client, 'attach', {}, o);
}

async function session(client: Client, subresource: 'exec' | 'attach', extra: Record<string, QueryValue>, o: AttachOptions): Promise<RemoteCommandResult> {
  const query: Record<string, QueryValue> = {
    ...extra,
    container: o.container || undefined,
    stdin: o.stdin ? true : undefined,
    stdout: o.stdout ? true : undefined,
    stderr: o.stderr && !o.tty ? true : undefined,
    tty: o.tty ? true : undefined,
  };
  const path = resourcePath(pods, { namespace: o.namespace, name: o.pod, subresource });
  const ws = await openChannelSocket(client, path, query, {
    protocols: o.protocol === 'v4' ? [V4_CHANNEL_PROTOCOL] : [V5_CHANNEL_PROTOCOL, V4_CHANNEL_PROTOCOL],
    subject: { resource: 'pods', name: o.pod },
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: o.handshakeTimeoutMs } : {}),
  });
  return runRemoteCommand(ws, o.tty ? { ...o, stderr: undefined } : o);
}
