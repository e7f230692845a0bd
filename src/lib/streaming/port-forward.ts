// One forwarded TCP connection over one WebSocket: the kubelet's v4 port-forward protocol.
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { resourcePath } from '../api/resource.js';
import type { Client } from '../client.js';
import { pods } from '../types/resources.js';
import { PortForwardError } from './errors.js';
import { frame, messageBytes, V4_CHANNEL_PROTOCOL } from './protocol.js';
import { keepAlive, openChannelSocket } from './socket.js';

/** Above this many bytes queued in the WebSocket, the local socket is paused until it drains below the low mark. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 << 10;
/**
 * Above this many bytes queued for the local socket, the WebSocket is paused until they are
 * written. Not the socket's own 16 KiB mark: the kubelet sends messages of up to 32 KiB, and
 * pausing for every one of them stalls the download.
 */
const LOCAL_HIGH_WATER = 1 << 20;
const DATA = 0;
const ERROR = 1;

/**
 * Carries one local connection (`socket`) to `remotePort` of a pod and back, over its own
 * WebSocket: `GET /api/v1/namespaces/NS/pods/P/portforward?ports=REMOTE` with sub-protocol
 * `v4.channel.k8s.io`, which the apiserver passes through to the kubelet. Channel 0 carries the
 * data both ways, channel 1 the kubelet's error text; the first two bytes the server sends on each
 * channel are the port number (uint16 little-endian) and are stripped. The protocol has no
 * half-close, so when either side ends both are closed (pending data to the local side is
 * flushed first). Both directions apply backpressure: the local socket is paused while the
 * WebSocket's send queue is long, and the WebSocket is paused while the local socket needs draining.
 *
 * Resolves when both are closed; rejects with a PortForwardError when the kubelet reported an
 * error (e.g. nothing listens on the port), or with the upgrade's ApiError/TransportError (the
 * socket is destroyed then). Aborting `signal` closes both and resolves.
 */
export async function forwardPort(client: Client, namespace: string, pod: string, remotePort: number, socket: Duplex, signal?: AbortSignal): Promise<void> {
  let ws: WebSocket;
  try {
    ws = await openPortForwardSocket(client, namespace, pod, remotePort, signal);
  } catch (err) {
    socket.destroy();
    if (signal?.aborted) return;
    throw err;
  }
  const done = pump(ws, socket, remotePort, signal);
  ws.resume();
  return done;
}

/**
 * The upgrade of {@link forwardPort} on its own: the v4 WebSocket for one connection to
 * `remotePort`, paused until {@link pump} is attached (then `resume()` it).
 */
export function openPortForwardSocket(client: Client, namespace: string, pod: string, remotePort: number, signal?: AbortSignal): Promise<WebSocket> {
  return openChannelSocket(client, resourcePath(pods, { namespace, name: pod, subresource: 'portforward' }), { ports: String(remotePort) }, {
    protocols: [V4_CHANNEL_PROTOCOL],
    subject: { resource: 'pods', name: pod },
    paused: true,
    ...(signal ? { signal } : {}),
  });
}

/**
 * The v4 port-forward protocol over an open WebSocket (see {@link forwardPort}): strips the port
 * prefixes, carries channel 0 both ways with backpressure, collects channel 1 as the error.
 * Exported for tests.
 */
export function pump(ws: WebSocket, socket: Duplex, remotePort: number, signal: AbortSignal | undefined): Promise<void> {
  const prefix = [2, 2];
  const errorChunks: Buffer[] = [];
  let paused = false;
  let draining = false;

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = messageBytes(data);
    const channel = bytes[0];
    if (channel !== DATA && channel !== ERROR) return;
    let payload = bytes.subarray(1);
    const skip = Math.min(prefix[channel]!, payload.length);
    prefix[channel]! -= skip;
    payload = payload.subarray(skip);
    if (payload.length === 0) return;
    if (channel === ERROR) {
      errorChunks.push(payload);
      return;
    }
    if (!socket.destroyed && !socket.write(payload) && !draining && socket.writableLength >= LOCAL_HIGH_WATER) {
      draining = true;
      ws.pause();
      socket.once('drain', () => {
        draining = false;
        ws.resume();
      });
    }
  });
  ws.on('error', () => undefined);

  const onSent = () => {
    if (paused && ws.bufferedAmount < LOW_WATER) {
      paused = false;
      socket.resume();
    }
  };
  socket.on('data', (chunk: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(frame(DATA, chunk), onSent);
    if (!paused && ws.bufferedAmount > HIGH_WATER) {
      paused = true;
      socket.pause();
    }
  });
  const closeRemote = () => {
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
  };
  socket.once('end', () => {
    closeRemote();
    socket.end();
  });
  socket.on('error', () => ws.terminate());
  socket.once('close', closeRemote);
  const stopKeepAlive = keepAlive(ws);
  const onAbort = () => {
    ws.terminate();
    socket.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (socket.destroyed || socket.readableEnded) closeRemote();
  else socket.resume();

  const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const socketClosed = new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  void wsClosed.then(() => {
    // Flush what the pod sent, then close: there is no half-open state to keep.
    if (!socket.destroyed) socket.end(() => socket.destroy());
  });
  return Promise.all([wsClosed, socketClosed]).then(() => {
    stopKeepAlive();
    signal?.removeEventListener('abort', onAbort);
    if (errorChunks.length > 0 && !signal?.aborted) throw new PortForwardError(remotePort, Buffer.concat(errorChunks).toString('utf8'));
  });
}
