// Cutting a byte stream into whole lines, so that concurrent streams never interleave mid-line.

const NEWLINE = 0x0a;

/**
 * Collects the chunks of one stream and hands out complete lines (each ending in `\n`); the bytes
 * after the last newline wait for the next chunk. Bytes are kept as they came: a multi-byte
 * character split across chunks is reassembled, never decoded on its own.
 */
export class LineBuffer {
  private pending: Buffer[] = [];

  /** Adds a chunk; returns the lines it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      const piece = data.subarray(start, nl + 1);
      lines.push(this.pending.length ? Buffer.concat([...this.pending, piece]) : Buffer.from(piece));
      this.pending = [];
      start = nl + 1;
    }
    if (start < data.length) this.pending.push(Buffer.from(data.subarray(start)));
    return lines;
  }

  /** The incomplete last line (no newline yet), or undefined; the buffer is emptied. */
  take(): Buffer | undefined {
    if (!this.pending.length) return undefined;
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    return rest;
  }
}
