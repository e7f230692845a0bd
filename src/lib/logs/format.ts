// How a log line is shown: kubectl's `[pod/<pod>/<container>] ` prefix, optionally in a stable colour.
import type { LogSource } from './source.js';

/** SGR foreground colours for prefixes: the six hues, normal then bright (never black or white). */
const PALETTE = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96] as const;

/** FNV-1a, 32 bits: a small, well-spread hash, stable across runs and platforms. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The SGR colour code of a pod's container: a hash of `<pod>/<container>` into a palette of
 * twelve colours, so the same container keeps its colour across runs and reconnects.
 */
export function colourFor(source: Pick<LogSource, 'pod' | 'container'>): number {
  return PALETTE[fnv1a(`${source.pod}/${source.container}`) % PALETTE.length]!;
}

/** Options of {@link logPrefix}. */
export interface PrefixOptions {
  /** Wrap the prefix in the source's colour (for terminals). */
  colour?: boolean;
}

/**
 * kubectl's `--prefix` text, `[pod/<pod>/<container>] `; with `colour`, the bracketed part is
 * wrapped in the source's SGR colour and reset before the space.
 */
export function logPrefix(source: Pick<LogSource, 'pod' | 'container'>, options: PrefixOptions = {}): string {
  const text = `[pod/${source.pod}/${source.container}]`;
  return options.colour ? `\u001b[${colourFor(source)}m${text}\u001b[0m ` : `${text} `;
}

/**
 * Whether colours suit an output: only a terminal, and never when `NO_COLOR` is set to anything
 * but the empty string (https://no-color.org).
 */
export function useColour(output: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!output.isTTY && !env.NO_COLOR;
}
