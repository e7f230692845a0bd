// A SPDY/3.1 client session over any duplex byte transport (here: the binary messages of a WebSocket).
import { EventEmitter } from 'node:events';
import {
  encodeDataInto,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  FLAG_FIN,
  FrameDecoder,
  GoAwayStatus,
  RstStatus,
  SpdyProtocolError,
  type ControlFrame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './headers.js';

/** Data frames up to this size (8 + 64 KiB) are built in reused buffers. */
const POOLED_FRAME_SIZE = 8 + (64 << 10);
/** Reused frame buffers kept at most (2 MiB). */
const FRAME_POOL_LIMIT = 32;

/** What a {@link SpdySession} needs of its connection. */
export interface SpdyTransport {
  /**
   * Sends bytes, in order; `callback` runs once they are handed on (or failed), after which the
   * session may reuse `data`'s memory.
   */
  send(data: Buffer, callback?: (err?: Error) => void): void;
  /** Bytes passed to {@link send} and not yet handed on. */
  readonly bufferedAmount: number;
  /** Stops delivering received bytes to the session until {@link resume}. */
  pause(): void;
  resume(): void;
  /** Closes the connection after what was sent. */
  close(): void;
}

/** Options of a {@link SpdySession}. */
export interface SpdySessionOptions {
  /** Send a PING this often to keep idle sessions (and the server's idle timer) alive; 0 = never (default 10 s, as client-go). */
  pingIntervalMs?: number;
  /** Above this many bytes queued in the transport, {@link SpdyStream.write} returns false (default 1 MiB). */
  highWaterMark?: number;
  /** Below this many queued bytes, writers waiting in {@link SpdySession.whenWritable} continue (default 256 KiB). */
  lowWaterMark?: number;
}

/** The session ended: the transport closed, the peer's GOAWAY, a protocol error, or {@link SpdySession.close}. */
export class SpdySessionClosedError extends Error {
  override name = 'SpdySessionClosedError';
}

/** Events of a {@link SpdyStream}. */
export interface SpdyStreamEvents {
  /** The server accepted the stream (SYN_REPLY). */
  reply: [];
  /** Payload bytes from the server. */
  data: [chunk: Buffer];
  /** The server will send nothing more (FIN). */
  end: [];
  /** The stream was reset: by the server's RST_STREAM (`status` set), by {@link SpdyStream.reset}, or because the session ended (`error`). */
  reset: [status: number | undefined, error: Error | undefined];
  /** Both directions are done or the stream was reset; emitted once. */
  close: [];
}

/**
 * One SPDY stream opened by this client. Writes before the server's SYN_REPLY are held and sent
 * after it (a SPDY server may drop data frames for a stream it has not replied to yet, as
 * moby/spdystream does).
 */
export class SpdyStream extends EventEmitter<SpdyStreamEvents> {
  /** The server replied (SYN_REPLY). */
  replied = false;
  /** This side sent FIN. */
  localEnded = false;
  /** The server sent FIN. */
  remoteEnded = false;
  /** Reset by either side, or the session ended. */
  isReset = false;
  private held: Array<{ data: Buffer; fin: boolean }> = [];

  constructor(
    private readonly session: SpdySession,
    /** The stream id: odd and increasing, as for every client-initiated stream. */
    readonly id: number,
    /** The headers the stream was opened with. */
    readonly headers: SpdyHeaders,
  ) {
    super();
  }

  /** Both directions are done or the stream was reset. */
  get closed(): boolean {
    return this.isReset || (this.localEnded && this.remoteEnded);
  }

  /**
   * Sends `chunk` as data frames. Returns false when the session's transport holds more than its
   * high-water mark: wait for {@link SpdySession.whenWritable} before writing more.
   */
  write(chunk: Buffer): boolean {
    if (this.localEnded || this.isReset) return false;
    if (chunk.length > 0) this.sendData(chunk, false);
    return !this.session.congested;
  }

  /** Half-closes: sends FIN; the server may go on sending. */
  end(): void {
    if (this.localEnded || this.isReset) return;
    this.localEnded = true;
    this.sendData(Buffer.alloc(0), true);
    this.maybeClosed();
  }

  /** Abandons the stream both ways: RST_STREAM (CANCEL by default). */
  reset(status: number = RstStatus.cancel): void {
    if (this.isReset) return;
    if (!(this.localEnded && this.remoteEnded)) this.session.sendReset(this.id, status);
    this.abandon(undefined, undefined);
  }

  private sendData(data: Buffer, fin: boolean): void {
    if (!this.replied) {
      this.held.push({ data, fin });
      return;
    }
    this.session.sendData(this.id, data, fin);
  }

  /** @internal The server's SYN_REPLY. */
  onReply(fin: boolean): void {
    if (this.replied || this.isReset) return;
    this.replied = true;
    for (const { data, fin: last } of this.held.splice(0)) this.session.sendData(this.id, data, last);
    this.emit('reply');
    if (fin) this.onData(Buffer.alloc(0), true);
  }

  /** @internal Payload from the server. */
  onData(chunk: Buffer, fin: boolean): void {
    if (this.remoteEnded || this.isReset) return;
    if (chunk.length > 0) this.emit('data', chunk);
    if (fin && !this.isReset) {
      this.remoteEnded = true;
      this.emit('end');
      this.maybeClosed();
    }
  }

  /** @internal Reset by the server (`status`) or ended with the session (`error`). */
  abandon(status: number | undefined, error: Error | undefined): void {
    if (this.isReset || (this.localEnded && this.remoteEnded)) return;
    this.isReset = true;
    this.held = [];
    this.session.forget(this.id);
    this.emit('reset', status, error);
    this.emit('close');
  }

  private maybeClosed(): void {
    if (this.localEnded && this.remoteEnded && !this.isReset) {
      this.session.forget(this.id);
      this.emit('close');
    }
  }
}

/** Events of a {@link SpdySession}. */
export interface SpdySessionEvents {
  /** The server sent GOAWAY: no new streams; open ones may finish. */
  goaway: [status: number];
  /** The session ended; `error` unless closed by {@link SpdySession.close} or a GOAWAY followed by a clean close. */
  close: [error: Error | undefined];
}

/**
 * A SPDY/3.1 client session (the framing Kubernetes' httpstream/spdy speaks with moby/spdystream)
 * over a byte transport: the owner passes received bytes to {@link receive} and reports the
 * transport's end with {@link transportClosed}.
 *
 * - Streams are opened by this side only, with odd, increasing ids; SYN_STREAMs leave in id order.
 *   A server-initiated SYN_STREAM is refused (RST_STREAM REFUSED_STREAM).
 * - Header blocks are compressed with one zlib context per direction for the whole session,
 *   starting from the SPDY/3 dictionary, each block ending in a Z_SYNC_FLUSH.
 * - PINGs from the server are answered; this side pings every `pingIntervalMs` as client-go does.
 * - Flow control: none is enforced. moby/spdystream, which Kubernetes uses on both ends, neither
 *   sends WINDOW_UPDATE nor honours it, nor announces SETTINGS; waiting for window updates would
 *   stall after the default 64 KiB window. Backpressure is the transport's: writers wait while its
 *   queue is above the high-water mark, and {@link pauseReading} stops reading for everyone (the
 *   server then blocks on its TCP connection; one slow stream holds up the others, as in kubectl).
 * - GOAWAY from the server: no new streams; open streams go on until the server closes.
 */
export class SpdySession extends EventEmitter<SpdySessionEvents> {
  private readonly decoder: FrameDecoder;
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private nextStreamId = 1;
  private nextPingId = 1;
  private lastServerStreamId = 0;
  private pauses = 0;
  private readonly waiters = new Set<() => void>();
  private readonly pingTimer: NodeJS.Timeout | undefined;
  private readonly highWater: number;
  private readonly lowWater: number;
  private readonly framePool: Buffer[] = [];
  /** The server sent GOAWAY. */
  goneAway = false;
  /** The session ended. */
  closed = false;
  /** Why the session ended, when it was not a clean close. */
  closeError: Error | undefined;

  constructor(
    private readonly transport: SpdyTransport,
    options: SpdySessionOptions = {},
  ) {
    super();
    this.highWater = options.highWaterMark ?? 1 << 20;
    this.lowWater = options.lowWaterMark ?? 256 << 10;
    this.decoder = new FrameDecoder({
      data: (id, payload, fin) => this.streams.get(id)?.onData(payload, fin),
      control: (frame) => this.onControl(frame),
    });
    const interval = options.pingIntervalMs ?? 10_000;
    if (interval > 0) {
      this.pingTimer = setInterval(() => this.ping(), interval);
      this.pingTimer.unref();
    }
  }

  /** Streams open right now. */
  get activeStreams(): number {
    return this.streams.size;
  }

  /** New streams can be opened: not closed, no GOAWAY. */
  get usable(): boolean {
    return !this.closed && !this.goneAway;
  }

  /** The transport holds more than the high-water mark. */
  get congested(): boolean {
    return this.transport.bufferedAmount > this.highWater;
  }

  /**
   * Opens a stream with `headers` (SYN_STREAM; `fin` half-closes it at once, for a stream this side
   * only reads). Throws a SpdySessionClosedError when the session is closed or gone away.
   */
  openStream(headers: SpdyHeaders, options: { fin?: boolean; priority?: number } = {}): SpdyStream {
    if (!this.usable) throw this.closeError ?? new SpdySessionClosedError(this.goneAway ? 'the server is closing the SPDY session (GOAWAY)' : 'the SPDY session is closed');
    const id = this.nextStreamId;
    if (id > 0x7fffffff) throw new SpdySessionClosedError('SPDY stream ids exhausted');
    this.nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.streams.set(id, stream);
    const flags = options.fin ? FLAG_FIN : 0;
    if (options.fin) stream.localEnded = true;
    // Compression completes in call order, so SYN_STREAMs leave in increasing id order.
    this.compressor.compress(headers).then(
      (block) => {
        if (!this.closed) this.sendFrame(encodeSynStream(id, block, { flags, priority: options.priority ?? 0 }));
      },
      (err: Error) => this.destroy(err),
    );
    return stream;
  }

  /** Calls `callback` once the transport's queue is below the low-water mark (at once if it is). */
  whenWritable(callback: () => void): void {
    if (this.closed || this.transport.bufferedAmount <= this.lowWater) {
      callback();
      return;
    }
    this.waiters.add(callback);
  }

  /** Stops reading from the transport; every call needs its {@link resumeReading}. */
  pauseReading(): void {
    if (this.pauses++ === 0 && !this.closed) this.transport.pause();
  }

  resumeReading(): void {
    if (this.pauses === 0) return;
    if (--this.pauses === 0 && !this.closed) this.transport.resume();
  }

  /** Sends a PING (odd id). */
  ping(): void {
    if (this.closed) return;
    const id = this.nextPingId;
    this.nextPingId = (this.nextPingId + 2) >>> 0 || 1;
    this.sendFrame(encodePing(id));
  }

  /** Bytes received from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.decoder.push(chunk);
    } catch (err) {
      if (err instanceof SpdyProtocolError) {
        this.sendFrame(encodeGoAway(this.lastServerStreamId, GoAwayStatus.protocolError));
        this.destroy(err);
      } else {
        throw err;
      }
    }
  }

  /** The transport ended; `error` when it failed or closed abnormally. */
  transportClosed(error?: Error): void {
    if (this.closed) return;
    this.finish(error ?? (this.goneAway ? undefined : new SpdySessionClosedError('the SPDY session was closed by the server')));
  }

  /** Ends the session: GOAWAY (OK), then closes the transport; open streams are reset. */
  close(): void {
    if (this.closed) return;
    this.sendFrame(encodeGoAway(this.lastServerStreamId, GoAwayStatus.ok));
    this.finish(undefined);
    this.transport.close();
  }

  /** Ends the session with `error` and closes the transport. */
  destroy(error: Error): void {
    if (this.closed) return;
    this.finish(error);
    this.transport.close();
  }

  /** @internal */
  sendFrame(frame: Buffer): void {
    if (this.closed) return;
    this.transport.send(frame, this.onSent);
  }

  /**
   * @internal A data frame. Frames up to 64 KiB of payload (a socket read's worth) are built in
   * buffers reused once the transport has taken them, sparing the garbage collector a 64 KiB
   * buffer per frame.
   */
  sendData(id: number, payload: Buffer, fin: boolean): void {
    if (this.closed) return;
    const flags = fin ? FLAG_FIN : 0;
    if (8 + payload.length > POOLED_FRAME_SIZE) {
      this.sendFrame(encodeData(id, payload, flags));
      return;
    }
    const slab = this.framePool.pop() ?? Buffer.allocUnsafeSlow(POOLED_FRAME_SIZE);
    this.transport.send(encodeDataInto(slab, id, payload, flags), () => {
      if (this.framePool.length < FRAME_POOL_LIMIT) this.framePool.push(slab);
      this.onSent();
    });
  }

  /** @internal */
  sendReset(id: number, status: number): void {
    this.sendFrame(encodeRstStream(id, status));
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private readonly onSent = (): void => {
    if (this.waiters.size === 0 || this.transport.bufferedAmount > this.lowWater) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  };

  private finish(error: Error | undefined): void {
    this.closed = true;
    this.closeError = error;
    this.decoder.stop();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.compressor.close();
    this.decompressor.close();
    const reason = error ?? new SpdySessionClosedError('the SPDY session is closed');
    for (const stream of [...this.streams.values()]) stream.abandon(undefined, reason);
    this.streams.clear();
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
    this.emit('close', error);
  }

  /** Keeps the receiving zlib context in step: every header block the server sends goes through it, in order. */
  private inflate(block: Buffer): void {
    if (block.length === 0) return;
    this.decompressor.inflate(block).catch((err: Error) => this.destroy(new SpdyProtocolError(`invalid SPDY header block: ${err.message}`)));
  }

  private onControl(frame: ControlFrame): void {
    switch (frame.type) {
      case 'syn_reply':
        this.inflate(frame.headerBlock);
        this.streams.get(frame.streamId)?.onReply((frame.flags & FLAG_FIN) !== 0);
        return;
      case 'headers':
        this.inflate(frame.headerBlock);
        if ((frame.flags & FLAG_FIN) !== 0) this.streams.get(frame.streamId)?.onData(Buffer.alloc(0), true);
        return;
      case 'rst_stream':
        this.streams.get(frame.streamId)?.abandon(frame.status, undefined);
        return;
      case 'syn_stream':
        this.inflate(frame.headerBlock);
        this.lastServerStreamId = Math.max(this.lastServerStreamId, frame.streamId);
        this.sendReset(frame.streamId, RstStatus.refusedStream);
        return;
      case 'ping':
        // Even ids are the server's own pings: echo them. Odd ones answer ours.
        if (frame.id % 2 === 0) this.sendFrame(encodePing(frame.id));
        return;
      case 'goaway':
        if (!this.goneAway) {
          this.goneAway = true;
          this.emit('goaway', frame.status);
        }
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        // No flow control (see the class comment); unknown control frames are ignored (§2.2.1).
        return;
    }
  }
}
