import type { Status } from '../errors.js';
import type { KubeObject } from './resource.js';

/**
 * One event of a watch stream (`metav1.WatchEvent`). `BOOKMARK` objects carry only
 * `metadata.resourceVersion` (and, for the end of a streaming list, the annotation
 * `k8s.io/initial-events-end: "true"`). `ERROR` carries a Status, e.g. 410 Expired when the
 * requested resourceVersion is too old.
 */
export type WatchEvent<K = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: K }
  | { type: 'ERROR'; object: Status };

/**
 * Decodes a newline-delimited JSON watch body into events. Robust to chunks split anywhere
 * (also inside multi-byte characters: lines are cut on the newline byte, which never occurs
 * inside a UTF-8 sequence), to a bare Status object in place of an event (reported as ERROR),
 * and to undecodable lines: those are passed to `onUndecodable` and skipped, so one bad object
 * never ends the stream.
 */
export async function* decodeWatchStream<K = KubeObject>(
  body: AsyncIterable<Uint8Array | string>,
  onUndecodable: (line: string, error: unknown) => void = () => undefined,
): AsyncGenerator<WatchEvent<K>> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pending = pending.length ? Buffer.concat([pending, bytes]) : bytes;
    let start = 0;
    for (let nl = pending.indexOf(10, start); nl !== -1; nl = pending.indexOf(10, start)) {
      const line = pending.subarray(start, nl).toString('utf8');
      start = nl + 1;
      const ev = decodeLine<K>(line, onUndecodable);
      if (ev) yield ev;
    }
    pending = start ? Buffer.from(pending.subarray(start)) : pending;
  }
  if (pending.length) {
    const ev = decodeLine<K>(pending.toString('utf8'), onUndecodable);
    if (ev) yield ev;
  }
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function decodeLine<K>(line: string, onUndecodable: (line: string, error: unknown) => void): WatchEvent<K> | undefined {
  const text = line.trim();
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    onUndecodable(text, err);
    return undefined;
  }
  const v = parsed as { type?: unknown; object?: unknown; kind?: unknown };
  if (typeof v.type === 'string' && EVENT_TYPES.has(v.type) && v.object && typeof v.object === 'object') {
    return v as WatchEvent<K>;
  }
  if (v.kind === 'Status') return { type: 'ERROR', object: v as Status };
  onUndecodable(text, new Error('not a watch event'));
  return undefined;
}
