// The v4 port-forward pump on its own: a stand-in WebSocket and local socket, so that framing and
// both directions' backpressure can be checked step by step.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { PortForwardError } from '../../src/lib/streaming/errors.js';
import { pump } from '../../src/lib/streaming/port-forward.js';

/** What pump uses of a ws WebSocket. */
class FakeWs extends EventEmitter {
  readyState = 1; // OPEN
  bufferedAmount = 0;
  pauses = 0;
  resumes = 0;
  readonly sent: Buffer[] = [];
  readonly callbacks: Array<() => void> = [];
  send(data: Buffer, cb?: () => void): void {
    this.sent.push(Buffer.from(data));
    if (cb) this.callbacks.push(cb);
  }
  pause(): void {
    this.pauses++;
  }
  resume(): void {
    this.resumes++;
  }
  ping(): void {}
  close(): void {
    this.shut();
  }
  terminate(): void {
    this.shut();
  }
  shut(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', 1000, Buffer.alloc(0));
  }
}

/** A local socket whose writes complete only when released, as a client that stopped reading. */
class SlowSocket extends Duplex {
  readonly written: Buffer[] = [];
  private readonly held: Array<() => void> = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.written.push(chunk);
    this.held.push(cb);
  }
  override _read(): void {}
  /** Completes every held write, including those the stream hands over meanwhile. */
  release(): void {
    while (this.held.length > 0) this.held.shift()!();
  }
}

const message = (channel: number, ...parts: Array<Buffer | number[]>) => Buffer.concat([Buffer.from([channel]), ...parts.map((p) => Buffer.from(p))]);

describe('port-forward pump', () => {
  it('writes downloads through until 1 MiB waits for the local socket, then pauses the WebSocket until it drains', async () => {
    const ws = new FakeWs();
    const socket = new SlowSocket();
    const done = pump(ws as unknown as WebSocket, socket, 8080, undefined);
    const chunk = 32 << 10;
    const data = Buffer.from(Array.from({ length: 40 * chunk }, (_, i) => i % 251));
    // The port prefix (8080 little-endian) arrives first, split over two messages.
    ws.emit('message', message(0, [0x90]));
    ws.emit('message', message(0, [0x1f], data.subarray(0, chunk)));
    // Far more than the socket's own 16 KiB mark is queued, and the WebSocket keeps reading.
    expect(socket.writableLength).toBe(chunk);
    expect(ws.pauses).toBe(0);
    for (let off = chunk; off < data.length; off += chunk) ws.emit('message', message(0, data.subarray(off, off + chunk)));
    expect(ws.pauses).toBe(1);
    expect(ws.resumes).toBe(0);
    socket.release();
    await new Promise((r) => setImmediate(r));
    socket.release();
    await new Promise((r) => setImmediate(r));
    expect(ws.resumes).toBe(1);
    expect(Buffer.concat(socket.written).equals(data)).toBe(true);
    ws.shut();
    socket.release();
    socket.destroy();
    await done;
  });

  it('frames uploads on channel 0 and pauses the local socket while the WebSocket has more than 1 MiB queued', async () => {
    const ws = new FakeWs();
    const socket = new SlowSocket();
    const done = pump(ws as unknown as WebSocket, socket, 8080, undefined);
    socket.push(Buffer.from('hello'));
    await new Promise((r) => setImmediate(r));
    expect(ws.sent.map((b) => [...b])).toEqual([[0, ...Buffer.from('hello')]]);
    expect(socket.isPaused()).toBe(false);

    ws.bufferedAmount = 2 << 20;
    socket.push(Buffer.from('world'));
    await new Promise((r) => setImmediate(r));
    expect(socket.isPaused()).toBe(true);
    // Sent, but still above the low mark: stays paused.
    ws.bufferedAmount = 512 << 10;
    ws.callbacks.shift()!();
    expect(socket.isPaused()).toBe(true);
    ws.bufferedAmount = 0;
    ws.callbacks.shift()!();
    expect(socket.isPaused()).toBe(false);
    expect(Buffer.concat(ws.sent.map((b) => b.subarray(1))).toString()).toBe('helloworld');
    expect(ws.sent.every((b) => b[0] === 0)).toBe(true);
    socket.push(null);
    await done;
    expect(ws.readyState).toBe(3);
  });

  it('strips the port prefix of the error channel and rejects with what the kubelet wrote', async () => {
    const ws = new FakeWs();
    const socket = new SlowSocket();
    const done = pump(ws as unknown as WebSocket, socket, 9999, undefined);
    ws.emit('message', message(1, [0x0f]));
    ws.emit('message', message(1, [0x27], Buffer.from('no forward found ')));
    ws.emit('message', message(1, Buffer.from('for port 9999')));
    ws.shut();
    const err = await done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortForwardError);
    expect((err as Error).message).toContain('no forward found for port 9999');
    expect(socket.written).toEqual([]);
  });
});
