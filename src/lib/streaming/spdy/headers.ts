// SPDY/3 name/value header blocks and their zlib compression (one context per direction per session).
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header names and values; several values of one name are one string joined with NUL in the block. */
export type SpdyHeaders = Record<string, string | string[]>;

/**
 * The uncompressed name/value block (§2.6.10): a 32-bit pair count, then each name and value
 * with 32-bit lengths. Names are lowercased (SPDY requires it; Go's http.Header on the other
 * side canonicalises them again); a value list is joined with NUL.
 */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const pairs = Object.entries(headers).map(([name, value]) => [Buffer.from(name.toLowerCase()), Buffer.from(Array.isArray(value) ? value.join('\0') : value)] as const);
  const size = 4 + pairs.reduce((n, [name, value]) => n + 8 + name.length + value.length, 0);
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(pairs.length, 0);
  let offset = 4;
  for (const [name, value] of pairs) {
    out.writeUInt32BE(name.length, offset);
    out.set(name, offset + 4);
    offset += 4 + name.length;
    out.writeUInt32BE(value.length, offset);
    out.set(value, offset + 4);
    offset += 4 + value.length;
  }
  return out;
}

/** Parses an uncompressed name/value block; values are split at NUL. */
export function decodeHeaderBlock(block: Buffer): Record<string, string[]> {
  const fail = () => new SpdyProtocolError('invalid SPDY header block');
  if (block.length < 4) throw fail();
  const count = block.readUInt32BE(0);
  const headers: Record<string, string[]> = {};
  let offset = 4;
  const field = () => {
    if (offset + 4 > block.length) throw fail();
    const length = block.readUInt32BE(offset);
    if (offset + 4 + length > block.length) throw fail();
    const text = block.toString('utf8', offset + 4, offset + 4 + length);
    offset += 4 + length;
    return text;
  };
  for (let i = 0; i < count; i++) {
    const name = field();
    const value = field();
    (headers[name] ??= []).push(...value.split('\0'));
  }
  return headers;
}

/**
 * One zlib stream (deflate or inflate) fed block by block, each block flushed with Z_SYNC_FLUSH
 * so that it can be decoded on its own while the context (and the SPDY/3 dictionary) carries
 * over to the next. Blocks are processed strictly in call order.
 */
class ZlibBlocks {
  private chain: Promise<unknown> = Promise.resolve();
  private output: Buffer[] = [];
  private failure: Error | undefined;

  constructor(private readonly stream: Deflate | Inflate) {
    stream.on('readable', () => this.drain());
    stream.on('error', (err) => (this.failure ??= err));
  }

  private drain(): void {
    let chunk: Buffer | null;
    while ((chunk = this.stream.read() as Buffer | null) !== null) this.output.push(chunk);
  }

  process(block: Uint8Array): Promise<Buffer> {
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          const onError = (err: Error) => reject(err);
          this.stream.once('error', onError);
          this.stream.write(block);
          // The flush's callback runs after zlib pushed everything it produced for the block.
          this.stream.flush(constants.Z_SYNC_FLUSH, () => {
            this.stream.off('error', onError);
            this.drain();
            const out = this.output.length === 1 ? this.output[0]! : Buffer.concat(this.output);
            this.output = [];
            if (this.failure) reject(this.failure);
            else resolve(out);
          });
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.stream.destroy();
  }
}

/** Compresses header blocks for one direction of a session: zlib with the SPDY/3 dictionary, Z_SYNC_FLUSH per block. */
export class HeaderCompressor {
  private readonly blocks = new ZlibBlocks(createDeflate({ dictionary: SPDY3_DICTIONARY }));

  /** The compressed form of `headers`; calls complete in order, and the blocks must be sent in that order. */
  compress(headers: SpdyHeaders | Buffer): Promise<Buffer> {
    return this.blocks.process(Buffer.isBuffer(headers) ? headers : encodeHeaderBlock(headers));
  }

  close(): void {
    this.blocks.close();
  }
}

/** Decompresses the header blocks one direction of a session received, in the order they arrived. */
export class HeaderDecompressor {
  private readonly blocks = new ZlibBlocks(createInflate({ dictionary: SPDY3_DICTIONARY }));

  /** The raw (uncompressed) block. */
  inflate(block: Uint8Array): Promise<Buffer> {
    return this.blocks.process(block);
  }

  /** The decoded headers of a compressed block. */
  async decompress(block: Uint8Array): Promise<Record<string, string[]>> {
    return decodeHeaderBlock(await this.inflate(block));
  }

  close(): void {
    this.blocks.close();
  }
}
