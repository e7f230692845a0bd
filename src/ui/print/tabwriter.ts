/**
 * The tab writer kubectl prints every table through: github.com/liggitt/tabwriter (Go's
 * text/tabwriter plus RememberWidths) configured with minwidth 6, tabwidth 4, padding 3,
 * pad character ' ' and the RememberWidths flag.
 *
 * Rules that decide the bytes:
 * - Cells are tab-*terminated*: the text after a line's last tab is not part of a column and is
 *   never padded, so lines carry no trailing spaces.
 * - A column is a run of contiguous lines that all have a cell in it; its width is
 *   max(rune count + 3) over those cells, at least 6. A line with fewer cells ends the run.
 * - Widths count UTF-8 runes, not display cells, so wide characters misalign exactly as in kubectl.
 * - A line without any tab, or a form feed, flushes the lines before it (they no longer affect
 *   later widths except through remembered widths).
 * - With RememberWidths a column never gets narrower than it was in an earlier flush; kubectl's
 *   watch mode flushes after every event, so late long names widen later rows only.
 */
export class TabWriter {
  private static readonly MIN_WIDTH = 6;
  private static readonly PADDING = 3;

  private readonly rememberWidths: boolean;
  /** Widest width seen per column index across flushes (RememberWidths). */
  private maxWidths: number[] = [];
  /** Buffered lines of terminated cells; the last entry is the line being filled. */
  private lines: Cell[][] = [[]];
  /** The cell being filled (not yet terminated by a tab or line break). */
  private cell = '';
  /** Column widths of the enclosing column blocks while formatting. */
  private widths: number[] = [];
  private out: string[] = [];

  /** `rememberWidths` defaults to true, as kubectl configures it. */
  constructor(opts: { rememberWidths?: boolean } = {}) {
    this.rememberWidths = opts.rememberWidths ?? true;
  }

  /**
   * Formats rows (cells joined by tabs, one line each) and flushes: returns the aligned lines,
   * each ending in `\n`. Tabs or line breaks inside a cell act as they do in kubectl.
   */
  format(rows: string[][]): string {
    return this.write(rows.map((r) => `${r.join('\t')}\n`).join('')) + this.flush();
  }

  /** Buffers raw text; returns whatever a line without tabs or a form feed forced out. */
  write(text: string): string {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.terminateCell();
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        if (ch === '\f' || ncells === 1) this.flushInto();
      }
    }
    this.cell += text.slice(start);
    return this.take();
  }

  /** Formats and returns everything buffered; an unterminated last line gets no newline. */
  flush(): string {
    this.flushInto();
    return this.take();
  }

  /** Forgets the remembered column widths (kubectl does this between resource blocks). */
  reset(): void {
    this.maxWidths = [];
  }

  private take(): string {
    const s = this.out.join('');
    this.out = [];
    return s;
  }

  private terminateCell(): number {
    const line = this.lines[this.lines.length - 1]!;
    line.push({ text: this.cell, width: runeCount(this.cell) });
    this.cell = '';
    return line.length;
  }

  private flushInto(): void {
    if (this.cell.length > 0) this.terminateCell();
    this.formatBlock(0, this.lines.length);
    this.lines = [[]];
    this.widths = [];
  }

  /** Formats lines [line0, line1): finds the column blocks at the current depth, recursively. */
  private formatBlock(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= this.lines[current]!.length - 1) continue;
      // This line has a cell in `column`: print the lines before it, then measure the block.
      this.writeLines(line0, current);
      line0 = current;
      let width = TabWriter.MIN_WIDTH;
      for (; current < line1; current++) {
        const line = this.lines[current]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + TabWriter.PADDING);
      }
      if (this.rememberWidths) width = this.remember(column, width);
      this.widths.push(width);
      this.formatBlock(line0, current);
      this.widths.pop();
      line0 = current;
    }
    this.writeLines(line0, line1);
  }

  private remember(column: number, width: number): number {
    if (this.maxWidths.length < this.widths.length) this.maxWidths.push(...this.widths.slice(this.maxWidths.length));
    const seen = this.maxWidths[column];
    if (seen === undefined) this.maxWidths.push(width);
    else if (seen > width) return seen;
    else this.maxWidths[column] = width;
    return width;
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      line.forEach((c, j) => {
        this.out.push(c.text);
        const w = this.widths[j];
        if (w !== undefined) this.out.push(' '.repeat(w - c.width));
      });
      // The last buffered line is the unterminated one: it never gets a newline.
      if (i + 1 < this.lines.length) this.out.push('\n');
    }
  }
}

interface Cell {
  text: string;
  /** Width in runes (Unicode code points), as Go's utf8.RuneCount measures it. */
  width: number;
}

/** Number of Unicode code points in `s` (Go's utf8.RuneCountInString on its UTF-8 form). */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is one rune; a lone surrogate becomes U+FFFD, also one rune.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
