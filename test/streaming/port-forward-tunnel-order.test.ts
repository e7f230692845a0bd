// The tunnel's connection lifecycle against a scripted kubelet on a loopback WebSocket, for the
// frame orders a real kubelet produces only by timing: here kwok's, where the data stream is
// closed before the error is written (held until ktx's side of the connection has closed). The
// happy paths run on the real cluster (port-forward-tunnel.test.ts).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PortForwardError } from '../../src/lib/streaming/errors.js';
import { PortForwardTunnel } from '../../src/lib/streaming/port-forward-tunnel.js';
import { encodeData, encodeSynReply, FLAG_FIN, FrameDecoder } from '../../src/lib/streaming/spdy/frames.js';
import { HeaderCompressor } from '../../src/lib/streaming/spdy/headers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const clean of cleanups.splice(0)) clean();
});

/**
 * A WebSocket server speaking SPDY as the kubelet behind the apiserver's tunnel: it answers every
 * stream, and when the data stream of a connection arrives, hands both stream ids to `onPair`.
 */
async function scriptedKubelet(onPair: (send: (frame: Buffer) => void, errorStream: number, dataStream: number) => Promise<void>): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => wss.close());
  wss.on('connection', (ws) => {
    const compressor = new HeaderCompressor();
    const send = (frame: Buffer) => ws.send(frame);
    let errorStream = 0;
    const decoder = new FrameDecoder({
      data: () => undefined,
      control: (frame) => {
        if (frame.type !== 'syn_stream') return;
        const id = frame.streamId;
        void compressor.compress({}).then((block) => {
          send(encodeSynReply(id, block));
          if (errorStream === 0) errorStream = id;
          else void onPair(send, errorStream, id);
        });
      },
    });
    ws.on('message', (data: Buffer) => decoder.push(data));
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
}

/** A connected pair of loopback sockets: the one a user's program holds, and ktx's accepted one. */
async function socketPair(): Promise<{ user: Socket; accepted: Socket }> {
  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
  cleanups.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const user = connect({ port: (server.address() as { port: number }).port, host: '127.0.0.1' });
  user.on('error', () => undefined);
  cleanups.push(() => user.destroy());
  return { user, accepted: await accepted };
}

async function openTunnel(url: string): Promise<PortForwardTunnel> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const tunnel = new PortForwardTunnel(ws, 'web-0');
  cleanups.push(() => tunnel.close());
  return tunnel;
}

describe('PortForwardTunnel connection lifecycle', () => {
  it('reports the kubelet’s error even when the data stream closed before the error was written', async () => {
    const message = 'error forwarding port 9999 to pod web-0: no forward found for port 9999';
    let connectionClosed: Promise<void> = Promise.resolve();
    const url = await scriptedKubelet(async (send, errorStream, dataStream) => {
      send(encodeData(dataStream, Buffer.alloc(0), FLAG_FIN));
      // The error only once ktx's side of the local connection has closed on the data stream's FIN: the order that lost it.
      await connectionClosed;
      send(encodeData(errorStream, Buffer.from(message), FLAG_FIN));
    });
    const tunnel = await openTunnel(url);
    const { user, accepted } = await socketPair();
    connectionClosed = new Promise<void>((resolve) => accepted.once('close', () => resolve()));
    const userClosed = new Promise<void>((resolve) => user.once('close', () => resolve()));
    const forwarded = tunnel.forward(9999, accepted);
    user.write('x');
    await userClosed;
    const outcome = await forwarded.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(outcome).toBeInstanceOf(PortForwardError);
    expect((outcome as PortForwardError).message).toBe(message);
    expect(tunnel.activeConnections).toBe(0);
  });

  it('ends a connection whose error stream closes empty without an error', async () => {
    const url = await scriptedKubelet(async (send, errorStream, dataStream) => {
      send(encodeData(dataStream, Buffer.from('pong'), FLAG_FIN));
      send(encodeData(errorStream, Buffer.alloc(0), FLAG_FIN));
    });
    const tunnel = await openTunnel(url);
    const { user, accepted } = await socketPair();
    const received: Buffer[] = [];
    user.on('data', (d: Buffer) => received.push(d));
    const forwarded = tunnel.forward(8080, accepted);
    user.write('ping');
    await expect(forwarded).resolves.toBeUndefined();
    expect(Buffer.concat(received).toString()).toBe('pong');
    expect(tunnel.activeConnections).toBe(0);
  });
});
