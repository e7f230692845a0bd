// The SPDY/3.1 client pieces on their own: framing, header compression, and the session against a
// scripted server on a stand-in transport.
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from '../../src/lib/streaming/spdy/dictionary.js';
import {
  decodeControlFrame,
  encodeData,
  encodeGoAway,
  encodeHeaders,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  FLAG_FIN,
  FrameDecoder,
  RstStatus,
  SpdyProtocolError,
  type ControlFrame,
} from '../../src/lib/streaming/spdy/frames.js';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from '../../src/lib/streaming/spdy/headers.js';
import { SpdySession, type SpdyTransport } from '../../src/lib/streaming/spdy/session.js';
import { waitUntil } from '../helpers/wait.js';

/** Adler-32 (RFC 1950), the dictionary id in a zlib header. */
function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Payload sizes of the test's data frames, by stream id: a frame's pieces are joined until they add up. */
const sizes = new Map<number, number>();

type Decoded = { kind: 'data'; streamId: number; payload: Buffer; fin: boolean } | { kind: 'control'; frame: ControlFrame };

/** Feeds `chunks` to a decoder; data pieces of one frame are joined, so the result does not depend on the chunking. */
function decodeAll(chunks: Buffer[]): Decoded[] {
  const out: Decoded[] = [];
  let open: { streamId: number; parts: Buffer[]; length: number } | undefined;
  const decoder = new FrameDecoder({
    data: (streamId, payload, fin) => {
      open ??= { streamId, parts: [], length: 0 };
      expect(open.streamId).toBe(streamId);
      open.parts.push(Buffer.from(payload));
      open.length += payload.length;
      if (open.length === sizes.get(streamId) || fin) {
        out.push({ kind: 'data', streamId, payload: Buffer.concat(open.parts), fin });
        open = undefined;
      }
    },
    control: (frame) => out.push({ kind: 'control', frame }),
  });
  for (const c of chunks) decoder.push(c);
  return out;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [0, ...at.filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

describe('SPDY frames', () => {
  const block = Buffer.from('compressed-ish header block');
  const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
  sizes.set(5, payload.length);
  sizes.set(7, 0);
  const frames = [
    encodeSynStream(1, block, { flags: FLAG_FIN, priority: 3 }),
    encodeSynReply(1, block),
    encodeData(5, payload),
    encodeData(7, Buffer.alloc(0), FLAG_FIN),
    encodeRstStream(3, RstStatus.cancel),
    encodeSettings([{ id: 7, value: 65536, flags: 1 }, { id: 4, value: 100 }]),
    encodePing(2),
    encodeHeaders(5, block, FLAG_FIN),
    encodeWindowUpdate(5, 1 << 20),
    encodeGoAway(9, 0),
  ];
  const stream = Buffer.concat(frames);
  const expected: Decoded[] = [
    { kind: 'control', frame: { type: 'syn_stream', flags: FLAG_FIN, streamId: 1, associatedTo: 0, priority: 3, headerBlock: block } },
    { kind: 'control', frame: { type: 'syn_reply', flags: 0, streamId: 1, headerBlock: block } },
    { kind: 'data', streamId: 5, payload, fin: false },
    { kind: 'data', streamId: 7, payload: Buffer.alloc(0), fin: true },
    { kind: 'control', frame: { type: 'rst_stream', flags: 0, streamId: 3, status: RstStatus.cancel } },
    { kind: 'control', frame: { type: 'settings', flags: 0, entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] } },
    { kind: 'control', frame: { type: 'ping', flags: 0, id: 2 } },
    { kind: 'control', frame: { type: 'headers', flags: FLAG_FIN, streamId: 5, headerBlock: block } },
    { kind: 'control', frame: { type: 'window_update', flags: 0, streamId: 5, delta: 1 << 20 } },
    { kind: 'control', frame: { type: 'goaway', flags: 0, lastGoodStreamId: 9, status: 0 } },
  ];
  /** Buffers as hex (a data payload as its length and hash would do too, but hex shows where it differs). */
  const normalise = (d: Decoded[]) => JSON.parse(JSON.stringify(d, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('hex') : v))) as unknown;

  it('encodes the SPDY/3 wire format', () => {
    expect(frames[0]!.subarray(0, 18).toString('hex')).toBe('80030001' + '01' + '000025' + '00000001' + '00000000' + '60' + '00');
    expect(frames[2]!.subarray(0, 8).toString('hex')).toBe('00000005' + '00' + '011170');
    expect(frames[3]!.toString('hex')).toBe('00000007' + '01' + '000000');
    expect(frames[4]!.toString('hex')).toBe('80030003' + '00' + '000008' + '00000003' + '00000005');
    expect(frames[6]!.toString('hex')).toBe('80030006' + '00' + '000004' + '00000002');
    expect(frames[9]!.toString('hex')).toBe('80030007' + '00' + '000008' + '00000009' + '00000000');
  });

  it('decodes frames packed into one chunk', () => {
    expect(normalise(decodeAll([stream]))).toEqual(normalise(expected));
  });

  it('decodes frames split byte by byte', () => {
    expect(normalise(decodeAll(cut(stream, Array.from({ length: stream.length }, (_, i) => i))))).toEqual(normalise(expected));
  });

  it('decodes frames split inside headers and payloads and packed across chunk boundaries', () => {
    // Cuts: inside the first control header, inside a header block, inside the data payload (several), at frame edges.
    const ends = frames.reduce<number[]>((acc, f) => [...acc, (acc.at(-1) ?? 0) + f.length], []);
    const at = [3, 12, 40, ends[1]! + 5, ends[1]! + 9, ends[1]! + 30_000, ends[2]! - 1, ends[2]! + 2, ends[4]!, ends[6]! + 7];
    expect(normalise(decodeAll(cut(stream, at)))).toEqual(normalise(expected));
  });

  it('hands data on piece by piece as it arrives, without waiting for the whole frame', () => {
    const pieces: number[] = [];
    const decoder = new FrameDecoder({ data: (_id, p) => pieces.push(p.length), control: () => undefined });
    const frame = encodeData(1, Buffer.alloc(1000));
    decoder.push(frame.subarray(0, 508));
    expect(pieces).toEqual([500]);
    decoder.push(frame.subarray(508));
    expect(pieces).toEqual([500, 500]);
  });

  it('refuses other SPDY versions and malformed control frames', () => {
    const v2 = encodePing(1);
    v2[1] = 2;
    expect(() => new FrameDecoder({ data: () => undefined, control: () => undefined }).push(v2)).toThrow(SpdyProtocolError);
    expect(() => decodeControlFrame(3, 0, Buffer.alloc(4))).toThrow(SpdyProtocolError);
    expect(decodeControlFrame(42, 0, Buffer.from('x'))).toMatchObject({ type: 'unknown', frameType: 42 });
  });
});

describe('SPDY header blocks', () => {
  const headers = { streamType: 'data', port: '8080', requestID: '0', multi: ['a', 'b'] };

  it('encodes name/value blocks with 32-bit lengths and lowercased names, and decodes them back', () => {
    const block = encodeHeaderBlock({ Port: '80' });
    expect(block.toString('hex')).toBe('00000001' + '00000004' + Buffer.from('port').toString('hex') + '00000002' + Buffer.from('80').toString('hex'));
    expect(decodeHeaderBlock(encodeHeaderBlock(headers))).toEqual({ streamtype: ['data'], port: ['8080'], requestid: ['0'], multi: ['a', 'b'] });
  });

  it('uses the SPDY/3 dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY)).toBe(0xe3c6a7c2);
  });

  it('compresses with one context for the session: an independent inflater with the dictionary reads every block', async () => {
    const compressor = new HeaderCompressor();
    const raw = [encodeHeaderBlock(headers), encodeHeaderBlock({ ...headers, streamtype: 'error' }), encodeHeaderBlock({ port: '9999' })];
    const blocks = [];
    for (const r of raw) blocks.push(await compressor.compress(r));
    compressor.close();
    // zlib header with FDICT and the dictionary's id; each block ends in a sync flush.
    expect(blocks[0]!.readUInt32BE(2)).toBe(0xe3c6a7c2);
    for (const b of blocks) expect(b.subarray(-4).toString('hex')).toBe('0000ffff');
    // Later blocks refer back to earlier ones: the second is smaller than the first.
    expect(blocks[1]!.length).toBeLessThan(blocks[0]!.length);
    const inflated = inflateSync(Buffer.concat(blocks), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(inflated.equals(Buffer.concat(raw))).toBe(true);
  });

  it('decompresses what an independent deflater with the dictionary wrote, block after block in one context', async () => {
    const first = encodeHeaderBlock({ status: '200' });
    const compressed = deflateSync(first, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const decompressor = new HeaderDecompressor();
    expect(await decompressor.decompress(compressed)).toEqual({ status: ['200'] });
    decompressor.close();

    // Our compressor's blocks, read by our decompressor in order.
    const compressor = new HeaderCompressor();
    const reader = new HeaderDecompressor();
    for (const h of [headers, { port: '1' }, headers]) {
      expect(await reader.decompress(await compressor.compress(h))).toEqual(decodeHeaderBlock(encodeHeaderBlock(h)));
    }
    compressor.close();
    reader.close();
  });
});

/** A transport that records what the session sent, and a scripted server speaking SPDY back. */
class FakeServer implements SpdyTransport {
  bufferedAmount = 0;
  paused = 0;
  closed = false;
  readonly sent: Buffer[] = [];
  readonly frames: Decoded[] = [];
  readonly headers: Array<Record<string, string[]>> = [];
  private readonly compressor = new HeaderCompressor();
  private readonly inflater = new HeaderDecompressor();
  private readonly decoder = new FrameDecoder({
    data: (streamId, payload, fin) => this.frames.push({ kind: 'data', streamId, payload: Buffer.from(payload), fin }),
    control: (frame) => {
      this.frames.push({ kind: 'control', frame });
      if (frame.type === 'syn_stream') void this.inflater.decompress(frame.headerBlock).then((h) => this.headers.push(h));
    },
  });
  session!: SpdySession;

  send(data: Buffer, callback?: (err?: Error) => void): void {
    this.sent.push(Buffer.from(data));
    this.decoder.push(data);
    callback?.();
  }
  pause(): void {
    this.paused++;
  }
  resume(): void {
    this.paused--;
  }
  close(): void {
    this.closed = true;
  }
  controls(type: ControlFrame['type']): ControlFrame[] {
    return this.frames.flatMap((f) => (f.kind === 'control' && f.frame.type === type ? [f.frame] : []));
  }
  dataFor(streamId: number): Array<{ payload: string; fin: boolean }> {
    return this.frames.flatMap((f) => (f.kind === 'data' && f.streamId === streamId ? [{ payload: f.payload.toString(), fin: f.fin }] : []));
  }
  async reply(streamId: number): Promise<void> {
    this.session.receive(encodeSynReply(streamId, await this.compressor.compress({})));
  }
}

/** Until the zlib work (on libuv's thread pool) behind `until` is done. */
const settle = (until: () => boolean) => waitUntil('the session and the scripted server to catch up', until, { intervalMs: 5 });

function newSession(): FakeServer {
  const server = new FakeServer();
  server.session = new SpdySession(server, { pingIntervalMs: 0 });
  return server;
}

describe('SpdySession', () => {
  it('opens streams with odd increasing ids and compressed headers, sending them in order', async () => {
    const server = newSession();
    const a = server.session.openStream({ streamType: 'error', port: '80', requestID: '0' }, { fin: true });
    const b = server.session.openStream({ streamType: 'data', port: '80', requestID: '0' });
    const c = server.session.openStream({ streamType: 'data', port: '81', requestID: '1' });
    expect([a.id, b.id, c.id]).toEqual([1, 3, 5]);
    await settle(() => server.headers.length === 3);
    const syns = server.controls('syn_stream') as Array<Extract<ControlFrame, { type: 'syn_stream' }>>;
    expect(syns.map((s) => [s.streamId, s.flags])).toEqual([
      [1, FLAG_FIN],
      [3, 0],
      [5, 0],
    ]);
    expect(server.headers[0]).toEqual({ streamtype: ['error'], port: ['80'], requestid: ['0'] });
    expect(server.headers[2]).toEqual({ streamtype: ['data'], port: ['81'], requestid: ['1'] });
  });

  it('holds writes until the SYN_REPLY, then sends data and FIN; delivers data and the remote FIN', async () => {
    const server = newSession();
    const s = server.session.openStream({ streamtype: 'data' });
    expect(s.write(Buffer.from('early'))).toBe(true);
    s.end();
    await settle(() => server.controls('syn_stream').length === 1);
    expect(server.dataFor(1)).toEqual([]);
    const got: string[] = [];
    let ended = false;
    let closed = false;
    s.on('data', (d) => got.push(d.toString()));
    s.on('end', () => (ended = true));
    s.on('close', () => (closed = true));
    await server.reply(1);
    expect(server.dataFor(1)).toEqual([
      { payload: 'early', fin: false },
      { payload: '', fin: true },
    ]);
    server.session.receive(Buffer.concat([encodeData(1, Buffer.from('he')), encodeData(1, Buffer.from('llo'), FLAG_FIN)]));
    expect(got.join('')).toBe('hello');
    expect(ended && closed).toBe(true);
    expect(server.session.activeStreams).toBe(0);
  });

  it('answers the server’s PINGs and not the answers to its own', () => {
    const server = newSession();
    server.session.receive(Buffer.concat([encodePing(2), encodePing(1)]));
    expect((server.controls('ping') as Array<{ id: number }>).map((p) => p.id)).toEqual([2]);
    server.session.ping();
    server.session.ping();
    expect((server.controls('ping') as Array<{ id: number }>).map((p) => p.id)).toEqual([2, 1, 3]);
  });

  it('reports a RST_STREAM as a reset with its status, and resets streams itself with CANCEL', async () => {
    const server = newSession();
    const a = server.session.openStream({});
    const b = server.session.openStream({});
    await server.reply(1);
    await server.reply(3);
    const resets: Array<[number | undefined, Error | undefined]> = [];
    a.on('reset', (status, error) => resets.push([status, error]));
    server.session.receive(encodeRstStream(1, RstStatus.refusedStream));
    expect(resets).toEqual([[RstStatus.refusedStream, undefined]]);
    expect(a.isReset).toBe(true);
    // Data for a stream that is gone is dropped.
    server.session.receive(encodeData(1, Buffer.from('late')));
    b.reset();
    expect(server.controls('rst_stream')).toEqual([{ type: 'rst_stream', flags: 0, streamId: 3, status: RstStatus.cancel }]);
    expect(server.session.activeStreams).toBe(0);
  });

  it('refuses streams the server opens', async () => {
    const server = newSession();
    const compressor = new HeaderCompressor();
    server.session.receive(encodeSynStream(2, await compressor.compress({ x: 'y' })));
    expect(server.controls('rst_stream')).toEqual([{ type: 'rst_stream', flags: 0, streamId: 2, status: RstStatus.refusedStream }]);
    compressor.close();
  });

  it('after a GOAWAY opens no new streams but lets open ones finish', async () => {
    const server = newSession();
    const s = server.session.openStream({});
    await server.reply(1);
    const statuses: number[] = [];
    server.session.on('goaway', (status) => statuses.push(status));
    server.session.receive(encodeGoAway(0, 0));
    expect(statuses).toEqual([0]);
    expect(server.session.usable).toBe(false);
    expect(() => server.session.openStream({})).toThrow(/GOAWAY/);
    const got: string[] = [];
    s.on('data', (d) => got.push(d.toString()));
    server.session.receive(encodeData(1, Buffer.from('still here')));
    expect(got).toEqual(['still here']);
    // The server then closes the connection: a clean end after GOAWAY.
    const ended: Array<Error | undefined> = [];
    server.session.on('close', (err) => ended.push(err));
    server.session.transportClosed();
    expect(ended).toEqual([undefined]);
    expect(s.isReset).toBe(true);
  });

  it('resets open streams with an error when the transport ends, and sends GOAWAY when closed', async () => {
    const server = newSession();
    const s = server.session.openStream({});
    const errors: Array<Error | undefined> = [];
    s.on('reset', (_status, error) => errors.push(error));
    server.session.transportClosed();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/closed by the server/);
    expect(server.session.closed).toBe(true);
    expect(() => server.session.openStream({})).toThrow();

    const other = newSession();
    other.session.openStream({});
    other.session.close();
    expect(other.controls('goaway')).toEqual([{ type: 'goaway', flags: 0, lastGoodStreamId: 0, status: 0 }]);
    expect(other.closed).toBe(true);
  });

  it('ends the session with a GOAWAY (PROTOCOL_ERROR) on a malformed frame', () => {
    const server = newSession();
    const closes: Array<Error | undefined> = [];
    server.session.on('close', (err) => closes.push(err));
    const bad = encodePing(2);
    bad[1] = 2;
    server.session.receive(bad);
    expect(server.controls('goaway')).toEqual([{ type: 'goaway', flags: 0, lastGoodStreamId: 0, status: 1 }]);
    expect(closes[0]).toBeInstanceOf(SpdyProtocolError);
    expect(server.closed).toBe(true);
  });

  it('reports congestion above the high-water mark and wakes writers below the low one; pauses reading while any reader asks', async () => {
    const server = new FakeServer();
    server.session = new SpdySession(server, { pingIntervalMs: 0, highWaterMark: 100, lowWaterMark: 10 });
    const s = server.session.openStream({});
    await server.reply(1);
    server.bufferedAmount = 50;
    expect(s.write(Buffer.from('a'))).toBe(true);
    server.bufferedAmount = 200;
    expect(s.write(Buffer.from('b'))).toBe(false);
    let woken = 0;
    server.session.whenWritable(() => woken++);
    expect(woken).toBe(0);
    server.bufferedAmount = 5;
    s.write(Buffer.from('c')); // its send callback finds the queue drained
    expect(woken).toBe(1);

    server.session.pauseReading();
    server.session.pauseReading();
    expect(server.paused).toBe(1);
    server.session.resumeReading();
    expect(server.paused).toBe(1);
    server.session.resumeReading();
    expect(server.paused).toBe(0);
  });
});
