// Where a TTY session's terminal size comes from, and how changes reach the session.
import type { EventEmitter } from 'node:events';

/** A terminal size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * A source of terminal sizes: an async iterable of sizes (the first one is the initial size), or
 * an EventEmitter such as `process.stdout` (a `tty.WriteStream`) that emits `resize`, read from
 * its `columns`/`rows`; an emitter may also pass a {@link TerminalSize} with the event.
 */
export type TerminalSizeSource = AsyncIterable<TerminalSize> | EventEmitter;

function isAsyncIterable(x: unknown): x is AsyncIterable<TerminalSize> {
  return typeof (x as AsyncIterable<TerminalSize>)[Symbol.asyncIterator] === 'function';
}

function isSize(x: unknown): x is TerminalSize {
  return typeof x === 'object' && x !== null && typeof (x as TerminalSize).cols === 'number' && typeof (x as TerminalSize).rows === 'number';
}

/**
 * Calls `onSize` with the current size at once (when the source knows it) and again on every
 * change; repeated identical sizes are dropped. Returns the function that stops following.
 */
export function followTerminalSize(source: TerminalSizeSource, onSize: (size: TerminalSize) => void): () => void {
  let last = '';
  const emit = (s: TerminalSize) => {
    if (!(s.cols > 0 && s.rows > 0)) return;
    const key = `${s.cols}x${s.rows}`;
    if (key === last) return;
    last = key;
    onSize(s);
  };
  // tty.WriteStream is an async iterable too (it is a stream): prefer its resize events.
  if (!isAsyncIterable(source) || typeof (source as { on?: unknown }).on === 'function') {
    const emitter = source as EventEmitter & { columns?: number; rows?: number };
    const read = () => {
      if (emitter.columns && emitter.rows) emit({ cols: emitter.columns, rows: emitter.rows });
    };
    const onResize = (arg?: unknown) => (isSize(arg) ? emit(arg) : read());
    read();
    emitter.on('resize', onResize);
    return () => emitter.off('resize', onResize);
  }
  const it = source[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    try {
      while (!stopped) {
        const r = await it.next();
        if (r.done || stopped) break;
        emit(r.value);
      }
    } catch {
      // a failing size source only stops resizes, never the session
    }
  })();
  return () => {
    stopped = true;
    void it.return?.();
  };
}
