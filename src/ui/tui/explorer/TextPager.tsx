// A scrollable, searchable page of text lines: the YAML view and the log view both use it.
import { Text } from 'ink';
import type { ReactNode } from 'react';

export interface PagerProps {
  lines: readonly string[];
  offset: number;
  height: number;
  /** Highlights this (case-insensitive) text, when set. */
  search?: string;
  wrap?: boolean;
}

/** The first line index at or after `from` (before it, with `dir` -1) containing `needle`, wrapping around. */
export function findLine(lines: readonly string[], needle: string, from: number, dir: 1 | -1): number {
  if (!needle || lines.length === 0) return -1;
  const n = needle.toLowerCase();
  for (let k = 0; k < lines.length; k++) {
    const i = (((from + dir * k) % lines.length) + lines.length) % lines.length;
    if (lines[i]!.toLowerCase().includes(n)) return i;
  }
  return -1;
}

export function clampPagerOffset(offset: number, total: number, height: number): number {
  return Math.min(Math.max(0, offset), Math.max(0, total - height));
}

export function TextPager({ lines, offset, height, search, wrap }: PagerProps) {
  const start = clampPagerOffset(offset, lines.length, height);
  const visible = lines.slice(start, start + height);
  return (
    <>
      {visible.map((line, i) => (
        <Text key={start + i} wrap={wrap ? 'wrap' : 'truncate-end'}>
          {highlight(line, search)}
        </Text>
      ))}
    </>
  );
}

function highlight(line: string, search: string | undefined): ReactNode {
  if (!search) return line || ' ';
  const lower = line.toLowerCase();
  const needle = search.toLowerCase();
  const parts: ReactNode[] = [];
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    parts.push(line.slice(at, i));
    parts.push(
      <Text key={i} inverse>
        {line.slice(i, i + needle.length)}
      </Text>,
    );
    at = i + needle.length;
  }
  parts.push(line.slice(at));
  return parts;
}
