// SPDY/3 framing: encoding frames and decoding a byte stream into frames, whatever its chunking.

/** The protocol version in every control frame. */
export const SPDY_VERSION = 3;

/** Control frame types of SPDY/3 (§2.6). */
export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** FLAG_FIN of data frames, SYN_STREAM, SYN_REPLY and HEADERS: the sender's last frame on the stream. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL of SYN_STREAM: the recipient may not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** The largest payload a frame's 24-bit length can carry. */
export const MAX_FRAME_LENGTH = 0xffffff;

/** RST_STREAM status codes (§2.6.3). */
export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

/** GOAWAY status codes (§2.6.6). */
export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

/** A decoded control frame. Header blocks are still compressed (see {@link HeaderCompressor}). */
export type ControlFrame =
  | { type: 'syn_stream'; flags: number; streamId: number; associatedTo: number; priority: number; headerBlock: Buffer }
  | { type: 'syn_reply'; flags: number; streamId: number; headerBlock: Buffer }
  | { type: 'rst_stream'; flags: number; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: Array<{ flags: number; id: number; value: number }> }
  | { type: 'ping'; flags: number; id: number }
  | { type: 'goaway'; flags: number; lastGoodStreamId: number; status: number }
  | { type: 'headers'; flags: number; streamId: number; headerBlock: Buffer }
  | { type: 'window_update'; flags: number; streamId: number; delta: number }
  | { type: 'unknown'; flags: number; frameType: number; payload: Buffer };

/** A malformed frame: the session cannot continue (a GOAWAY with PROTOCOL_ERROR is due). */
export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError';
}

function controlHeader(type: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame payload too large: ${length}`);
  const out = Buffer.allocUnsafe(8 + length);
  out[0] = 0x80 | (SPDY_VERSION >> 8);
  out[1] = SPDY_VERSION & 0xff;
  out.writeUInt16BE(type, 2);
  out[4] = flags;
  out.writeUIntBE(length, 5, 3);
  return out;
}

const id31 = (id: number) => id & 0x7fffffff;

/** A data frame: `streamId`, flags (FLAG_FIN) and the payload, copied behind its 8-byte header. */
export function encodeData(streamId: number, payload: Uint8Array, flags = 0): Buffer {
  return encodeDataInto(Buffer.allocUnsafe(8 + payload.length), streamId, payload, flags);
}

/** {@link encodeData} into `target` (at least 8 + payload bytes); returns the frame, a view of `target`. */
export function encodeDataInto(target: Buffer, streamId: number, payload: Uint8Array, flags = 0): Buffer {
  if (payload.length > MAX_FRAME_LENGTH) throw new RangeError(`SPDY frame payload too large: ${payload.length}`);
  target.writeUInt32BE(id31(streamId), 0);
  target[4] = flags;
  target.writeUIntBE(payload.length, 5, 3);
  target.set(payload, 8);
  return target.subarray(0, 8 + payload.length);
}

/** SYN_STREAM: opens `streamId` with a compressed header block; priority 0 is the highest. */
export function encodeSynStream(streamId: number, headerBlock: Uint8Array, options: { flags?: number; associatedTo?: number; priority?: number } = {}): Buffer {
  const out = controlHeader(FrameType.synStream, options.flags ?? 0, 10 + headerBlock.length);
  out.writeUInt32BE(id31(streamId), 8);
  out.writeUInt32BE(id31(options.associatedTo ?? 0), 12);
  out[16] = ((options.priority ?? 0) & 0x7) << 5;
  out[17] = 0; // slot: no client certificate
  out.set(headerBlock, 18);
  return out;
}

/** SYN_REPLY: the recipient accepts `streamId` (servers send it; here for tests). */
export function encodeSynReply(streamId: number, headerBlock: Uint8Array, flags = 0): Buffer {
  const out = controlHeader(FrameType.synReply, flags, 4 + headerBlock.length);
  out.writeUInt32BE(id31(streamId), 8);
  out.set(headerBlock, 12);
  return out;
}

/** HEADERS: more headers for `streamId`. */
export function encodeHeaders(streamId: number, headerBlock: Uint8Array, flags = 0): Buffer {
  const out = controlHeader(FrameType.headers, flags, 4 + headerBlock.length);
  out.writeUInt32BE(id31(streamId), 8);
  out.set(headerBlock, 12);
  return out;
}

/** RST_STREAM: abnormal termination of `streamId` with a {@link RstStatus}. */
export function encodeRstStream(streamId: number, status: number): Buffer {
  const out = controlHeader(FrameType.rstStream, 0, 8);
  out.writeUInt32BE(id31(streamId), 8);
  out.writeUInt32BE(status >>> 0, 12);
  return out;
}

/** SETTINGS: id/value pairs (ids are 24 bits, each with 8 bits of flags). */
export function encodeSettings(entries: Array<{ id: number; value: number; flags?: number }>, flags = 0): Buffer {
  const out = controlHeader(FrameType.settings, flags, 4 + 8 * entries.length);
  out.writeUInt32BE(entries.length, 8);
  entries.forEach((e, i) => {
    out.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 12 + 8 * i);
    out.writeUInt32BE(e.value >>> 0, 16 + 8 * i);
  });
  return out;
}

/** PING: clients send odd ids, servers even ones; the recipient echoes a ping it did not send. */
export function encodePing(id: number): Buffer {
  const out = controlHeader(FrameType.ping, 0, 4);
  out.writeUInt32BE(id >>> 0, 8);
  return out;
}

/** GOAWAY: the sender creates no more streams; `lastGoodStreamId` is the last stream it accepted from the peer. */
export function encodeGoAway(lastGoodStreamId: number, status: number = GoAwayStatus.ok): Buffer {
  const out = controlHeader(FrameType.goAway, 0, 8);
  out.writeUInt32BE(id31(lastGoodStreamId), 8);
  out.writeUInt32BE(status >>> 0, 12);
  return out;
}

/** WINDOW_UPDATE: the recipient may send `delta` more bytes on `streamId`. */
export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  const out = controlHeader(FrameType.windowUpdate, 0, 8);
  out.writeUInt32BE(id31(streamId), 8);
  out.writeUInt32BE(delta & 0x7fffffff, 12);
  return out;
}

function need(payload: Buffer, min: number, what: string, exact = false): void {
  if (exact ? payload.length !== min : payload.length < min) throw new SpdyProtocolError(`invalid ${what} frame: ${payload.length} bytes`);
}

/** Decodes one control frame's payload (the bytes after its 8-byte header). */
export function decodeControlFrame(type: number, flags: number, payload: Buffer): ControlFrame {
  switch (type) {
    case FrameType.synStream:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        flags,
        streamId: id31(payload.readUInt32BE(0)),
        associatedTo: id31(payload.readUInt32BE(4)),
        priority: payload[8]! >> 5,
        headerBlock: payload.subarray(10),
      };
    case FrameType.synReply:
      need(payload, 4, 'SYN_REPLY');
      return { type: 'syn_reply', flags, streamId: id31(payload.readUInt32BE(0)), headerBlock: payload.subarray(4) };
    case FrameType.rstStream:
      need(payload, 8, 'RST_STREAM', true);
      return { type: 'rst_stream', flags, streamId: id31(payload.readUInt32BE(0)), status: payload.readUInt32BE(4) };
    case FrameType.settings: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      if (payload.length !== 4 + 8 * count) throw new SpdyProtocolError(`invalid SETTINGS frame: ${count} entries in ${payload.length} bytes`);
      const entries = Array.from({ length: count }, (_, i) => {
        const word = payload.readUInt32BE(4 + 8 * i);
        return { flags: word >>> 24, id: word & 0xffffff, value: payload.readUInt32BE(8 + 8 * i) };
      });
      return { type: 'settings', flags, entries };
    }
    case FrameType.ping:
      need(payload, 4, 'PING', true);
      return { type: 'ping', flags, id: payload.readUInt32BE(0) };
    case FrameType.goAway:
      // SPDY/2 had no status; accept its 4-byte form.
      if (payload.length !== 4) need(payload, 8, 'GOAWAY', true);
      return { type: 'goaway', flags, lastGoodStreamId: id31(payload.readUInt32BE(0)), status: payload.length >= 8 ? payload.readUInt32BE(4) : 0 };
    case FrameType.headers:
      need(payload, 4, 'HEADERS');
      return { type: 'headers', flags, streamId: id31(payload.readUInt32BE(0)), headerBlock: payload.subarray(4) };
    case FrameType.windowUpdate:
      need(payload, 8, 'WINDOW_UPDATE', true);
      return { type: 'window_update', flags, streamId: id31(payload.readUInt32BE(0)), delta: payload.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', flags, frameType: type, payload };
  }
}

/** What a {@link FrameDecoder} reports. */
export interface FrameHandlers {
  /**
   * A piece of a data frame's payload, as it arrives (a frame spanning chunks comes in several
   * pieces; pieces are views of the pushed chunks, not copies). `fin` is set on the frame's last
   * piece when the frame carries FLAG_FIN; an empty frame with FLAG_FIN gives one empty piece.
   */
  data(streamId: number, payload: Buffer, fin: boolean): void;
  control(frame: ControlFrame): void;
}

/** Options of a {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Control frames longer than this are a protocol error (default 16 MiB - 1, the format's limit). */
  maxControlLength?: number;
}

/**
 * Turns a SPDY/3 byte stream into frames, whatever its chunking: frames may span chunks and
 * several may share one. Data payloads are handed on piece by piece without being gathered;
 * control frames are gathered, then decoded. A malformed frame throws a SpdyProtocolError from
 * {@link push}, after which the decoder must not be used.
 */
export class FrameDecoder {
  private readonly head = Buffer.alloc(8);
  private headLength = 0;
  /** The data frame being received: its stream, bytes still to come, and FIN. */
  private data: { streamId: number; remaining: number; fin: boolean } | undefined;
  /** The control frame being gathered. */
  private control: { type: number; flags: number; length: number; parts: Buffer[]; received: number } | undefined;
  private readonly maxControlLength: number;
  private stopped = false;

  constructor(
    private readonly handlers: FrameHandlers,
    options: FrameDecoderOptions = {},
  ) {
    this.maxControlLength = options.maxControlLength ?? MAX_FRAME_LENGTH;
  }

  /** Stops handing on frames, also those left in a chunk being pushed. */
  stop(): void {
    this.stopped = true;
  }

  /** Decodes the next chunk of the stream. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.stopped) {
      if (this.data) {
        const frame = this.data;
        const n = Math.min(frame.remaining, chunk.length - offset);
        const piece = chunk.subarray(offset, offset + n);
        offset += n;
        frame.remaining -= n;
        if (frame.remaining === 0) this.data = undefined;
        this.handlers.data(frame.streamId, piece, frame.remaining === 0 && frame.fin);
        continue;
      }
      if (this.control) {
        const frame = this.control;
        const n = Math.min(frame.length - frame.received, chunk.length - offset);
        frame.parts.push(chunk.subarray(offset, offset + n));
        frame.received += n;
        offset += n;
        if (frame.received === frame.length) {
          this.control = undefined;
          const payload = frame.parts.length === 1 ? frame.parts[0]! : Buffer.concat(frame.parts, frame.length);
          this.handlers.control(decodeControlFrame(frame.type, frame.flags, payload));
        }
        continue;
      }
      let header: Buffer;
      if (this.headLength === 0 && chunk.length - offset >= 8) {
        header = chunk.subarray(offset, offset + 8);
        offset += 8;
      } else {
        const n = Math.min(8 - this.headLength, chunk.length - offset);
        chunk.copy(this.head, this.headLength, offset, offset + n);
        this.headLength += n;
        offset += n;
        if (this.headLength < 8) return;
        this.headLength = 0;
        header = this.head;
      }
      this.startFrame(header);
    }
  }

  private startFrame(header: Buffer): void {
    const flags = header[4]!;
    const length = header.readUIntBE(5, 3);
    if ((header[0]! & 0x80) === 0) {
      const streamId = header.readUInt32BE(0) & 0x7fffffff;
      const fin = (flags & FLAG_FIN) !== 0;
      if (length === 0) {
        if (fin) this.handlers.data(streamId, Buffer.alloc(0), true);
        return;
      }
      this.data = { streamId, remaining: length, fin };
      return;
    }
    const version = header.readUInt16BE(0) & 0x7fff;
    if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
    if (length > this.maxControlLength) throw new SpdyProtocolError(`control frame too large: ${length} bytes`);
    const type = header.readUInt16BE(2);
    if (length === 0) {
      this.handlers.control(decodeControlFrame(type, flags, Buffer.alloc(0)));
      return;
    }
    this.control = { type, flags, length, parts: [], received: 0 };
  }
}
