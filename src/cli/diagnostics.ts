// Where the session's warnings and `-v` request logs go. Normally straight to stderr, as kubectl.
// While a full-screen view owns the terminal, a line written to stderr would land in the middle
// of its frame and stay there until the next full redraw: the view holds them instead, shows what
// matters in its own message line, and they reach stderr, in order, when it gives the terminal back.

type Sink = (text: string) => void;

const toStderr: Sink = (text) => {
  process.stderr.write(text);
};
let sink: Sink = toStderr;

/** Lines held beyond this are dropped oldest first, and the replay says how many. */
const MAX_HELD = 10_000;

/** Writes one diagnostic (a whole line, with its newline) to wherever diagnostics go now. */
export function writeDiagnostic(text: string): void {
  sink(text);
}

/** Sends diagnostics to `to` (an inline Ink view's stderr writer) until the returned function is called. */
export function divertDiagnostics(to: Sink): () => void {
  const previous = sink;
  sink = to;
  return () => {
    sink = previous;
  };
}

/**
 * Holds diagnostics while a full-screen view is on the terminal stderr also writes to; `onLine`
 * sees each as it comes. The returned function ends the hold and writes what was held to stderr.
 * When stderr is not a terminal (redirected to a file), nothing is held: `onLine` still sees
 * every line, and the file gets it at once.
 */
export function holdDiagnostics(onLine?: (text: string) => void): () => void {
  const previous = sink;
  const held: string[] = [];
  let dropped = 0;
  const hold = process.stderr.isTTY;
  sink = (text) => {
    onLine?.(text);
    if (!hold) return previous(text);
    if (held.length === MAX_HELD) {
      held.shift();
      dropped++;
    }
    held.push(text);
  };
  return () => {
    sink = previous;
    if (dropped > 0) previous(`(${dropped} earlier diagnostic lines were dropped while the screen was in use)\n`);
    for (const text of held) previous(text);
  };
}
