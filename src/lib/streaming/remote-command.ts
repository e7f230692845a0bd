// One exec or attach session over the channel protocol: stdin up, stdout/stderr down, resizes, the final Status.
import type { Readable, Writable } from 'node:stream';
import WebSocket from 'ws';
import { TransportError, type Status } from '../errors.js';
import { StreamStatusError } from './errors.js';
import { Channel, CLOSE_SIGNAL, frame, messageBytes, V5_CHANNEL_PROTOCOL } from './protocol.js';
import { keepAlive } from './socket.js';
import { followTerminalSize, type TerminalSizeSource } from './terminal-size.js';

/** The streams and settings of a session (see `exec` and `attach`). */
export interface SessionStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty?: boolean;
  terminalSize?: TerminalSizeSource;
  signal?: AbortSignal;
  /** Interval of WebSocket pings (default 15 s). */
  keepAliveMs?: number;
}

/** How a remote command ended. */
export interface RemoteCommandResult {
  /** 0 for `Success`, N for a `NonZeroExitCode` Status with an `ExitCode` cause of N. */
  exitCode: number;
  /** The Status the server sent on the error channel (synthesised `Success` when it sent none before a clean close). */
  status: Status;
  /** The negotiated sub-protocol (`v5.channel.k8s.io` or `v4.channel.k8s.io`). */
  protocol: string;
}

/** Above this many bytes queued in the socket, stdin is paused until the queue drains below the low mark. */
const STDIN_HIGH_WATER = 1 << 20;
const STDIN_LOW_WATER = 256 << 10;
/** How long to wait for the server's close frame after its Status before closing ourselves. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Runs a session on an open socket until the server closes it. Output is written with
 * backpressure (the socket is paused while stdout/stderr need draining) and flushed before the
 * promise settles; stdin is sent with backpressure and its end is signalled with `[255, 0]` on
 * v5 (v4 has no way to say it: the remote stdin simply stays open). A failing output stream
 * (e.g. EPIPE) ends the session and rejects with that stream's error.
 */
export function runRemoteCommand(ws: WebSocket, o: SessionStreams): Promise<RemoteCommandResult> {
  const protocol = ws.protocol;
  const v5 = protocol === V5_CHANNEL_PROTOCOL;
  const cleanups: Array<() => void> = [];
  const statusChunks: Buffer[] = [];
  const waitingForDrain = new Set<Writable>();
  let socketError: Error | undefined;
  let graceTimer: NodeJS.Timeout | undefined;

  const write = (stream: Writable | undefined, payload: Buffer) => {
    if (!stream || payload.length === 0 || stream.destroyed) return;
    if (!stream.write(payload) && !waitingForDrain.has(stream)) {
      waitingForDrain.add(stream);
      ws.pause();
      stream.once('drain', () => {
        waitingForDrain.delete(stream);
        if (waitingForDrain.size === 0) ws.resume();
      });
    }
  };

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = messageBytes(data);
    if (bytes.length === 0) return;
    const payload = bytes.subarray(1);
    switch (bytes[0]) {
      case Channel.stdout:
        write(o.stdout, payload);
        break;
      case Channel.stderr:
        write(o.stderr, payload);
        break;
      case Channel.error:
        statusChunks.push(payload);
        // The status is the last word; newer servers then send a close frame and wait for ours.
        graceTimer ??= setTimeout(() => ws.close(1000), CLOSE_GRACE_MS);
        break;
    }
  });
  ws.on('error', (err) => (socketError ??= err));

  // A reader that went away (EPIPE from `| head`) ends the session instead of crashing the process.
  let outputError: Error | undefined;
  const onOutputError = (err: Error) => {
    outputError ??= err;
    ws.terminate();
  };
  for (const s of new Set([o.stdout, o.stderr])) {
    if (!s) continue;
    s.on('error', onOutputError);
    cleanups.push(() => s.off('error', onOutputError));
  }

  if (o.stdin) cleanups.push(pumpStdin(ws, o.stdin, v5));
  if (o.tty && o.terminalSize) {
    cleanups.push(
      followTerminalSize(o.terminalSize, (s) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(frame(Channel.resize, JSON.stringify({ Width: s.cols, Height: s.rows })));
      }),
    );
  }
  cleanups.push(keepAlive(ws, o.keepAliveMs));

  const onAbort = () => ws.terminate();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  cleanups.push(() => o.signal?.removeEventListener('abort', onAbort));

  return new Promise<RemoteCommandResult>((resolve, reject) => {
    ws.once('close', (code: number) => {
      clearTimeout(graceTimer);
      for (const c of cleanups) c();
      void Promise.all([flush(o.stdout), flush(o.stderr)]).then(() => {
        if (outputError) {
          reject(outputError);
          return;
        }
        if (o.signal?.aborted) {
          reject(new TransportError('aborted', ws.url, 'the session was aborted', { cause: o.signal.reason }));
          return;
        }
        try {
          resolve(outcome(statusChunks, code, socketError, protocol, ws.url));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
  });
}

/** Sends stdin with backpressure; returns the function that detaches from it. */
function pumpStdin(ws: WebSocket, stdin: Readable, v5: boolean): () => void {
  let paused = false;
  const onSent = () => {
    if (paused && ws.bufferedAmount < STDIN_LOW_WATER) {
      paused = false;
      stdin.resume();
    }
  };
  const onData = (chunk: Buffer | string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(frame(Channel.stdin, typeof chunk === 'string' ? Buffer.from(chunk) : chunk), onSent);
    if (ws.bufferedAmount > STDIN_HIGH_WATER && !paused) {
      paused = true;
      stdin.pause();
    }
  };
  const onEnd = () => {
    if (v5 && ws.readyState === WebSocket.OPEN) ws.send(Buffer.from([CLOSE_SIGNAL, Channel.stdin]));
  };
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  return () => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    // Back to paused mode, so a process whose stdin we were reading can exit.
    stdin.pause();
  };
}

/** Resolves once everything written so far has been handed on (write callbacks run in order). */
function flush(stream: Writable | undefined): Promise<void> {
  if (!stream || stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write(Buffer.alloc(0), () => resolve()));
}

/** kubectl's reading of the error channel (client-go `errorDecoderV4`/`V5`). */
function outcome(chunks: Buffer[], closeCode: number, socketError: Error | undefined, protocol: string, url: string): RemoteCommandResult {
  if (chunks.length === 0) {
    // No Status: a clean close means the command ended without one; anything else is a lost connection.
    if (closeCode === 1000 || closeCode === 1005) return { exitCode: 0, status: { metadata: {}, status: 'Success' }, protocol };
    throw new TransportError('reset', url, `the connection to the server was lost during the session${socketError ? `: ${socketError.message}` : ''}`, { cause: socketError });
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let status: Status;
  try {
    status = JSON.parse(text) as Status;
  } catch (err) {
    throw new StreamStatusError({ status: 'Failure', message: `error stream protocol error: ${(err as Error).message} in ${JSON.stringify(text)}` });
  }
  if (status.status === 'Success') return { exitCode: 0, status, protocol };
  if (status.status !== 'Failure') throw new StreamStatusError({ status: 'Failure', message: 'error stream protocol error: unknown error' });
  if (status.reason === 'NonZeroExitCode') {
    if (!status.details) throw new StreamStatusError({ ...status, message: 'error stream protocol error: details must be set' });
    const cause = status.details.causes?.find((c) => c.reason === 'ExitCode');
    if (!cause) throw new StreamStatusError({ ...status, message: 'error stream protocol error: no ExitCode cause given' });
    const code = Number(cause.message);
    if (!/^\d+$/.test(cause.message ?? '') || code > 255) {
      throw new StreamStatusError({ ...status, message: `error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}` });
    }
    return { exitCode: code, status, protocol };
  }
  throw new StreamStatusError(status);
}
