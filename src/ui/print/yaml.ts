/**
 * kubectl's `-o yaml`: sigs.k8s.io/yaml turns the object's JSON into YAML with go-yaml v2
 * (go.yaml.in/yaml/v2 v2.4.2). This is a port of the parts of that encoder and its libyaml
 * emitter that JSON data reaches, so the bytes match:
 * - block mappings with keys in go-yaml's order (runs of digits compare as numbers, letters
 *   sort after other characters), 2-space indent, and sequences under a key not indented;
 * - empty maps and lists as `{}` and `[]`;
 * - strings plain when possible, double-quoted when they would read back as another type,
 *   single-quoted when plain is not allowed, `|`/`|-`/`|+` blocks when they contain a newline;
 * - plain and quoted scalars folded at the first space past column 80;
 * - characters outside the BMP, control characters and a few others escaped in double quotes.
 */
import { formatGoFloat, isGoInt } from './gofmt.js';
import { goSortArray } from './gosort.js';
import { isBase60Float, resolvesToString } from './yaml-resolve.js';

/** YAML for one document, as yaml.Marshal writes it (ends with a newline). */
export function marshalGoYaml(value: unknown): string {
  const e = new Emitter();
  e.node(value, { root: true });
  e.writeIndent();
  return e.output();
}

type Style = 'plain' | 'single' | 'double' | 'literal';

interface Context {
  root?: boolean;
  sequence?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

/** What libyaml's analyze_scalar finds out about a scalar. */
interface Analysis {
  multiline: boolean;
  /** Plain style inside flow collections; kept to mirror libyaml, though no scalar lands there. */
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private ctx: Context = {};

  output(): string {
    return this.out;
  }

  node(v: unknown, ctx: Context): void {
    this.ctx = ctx;
    if (Array.isArray(v)) {
      if (v.length === 0) this.flowCollection('[', ']');
      else this.blockSequence(v);
    } else if (v !== null && typeof v === 'object') {
      const m = v as Record<string, unknown>;
      const keys = Object.keys(m).filter((k) => m[k] !== undefined);
      if (keys.length === 0) this.flowCollection('{', '}');
      else this.blockMapping(m, keys);
    } else {
      const [text, style] = scalarOf(v);
      this.scalar(text, style);
    }
  }

  private blockSequence(items: unknown[]): void {
    this.increaseIndent(false, !!this.ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item === undefined ? null : item, { sequence: true });
    }
    this.popIndent();
  }

  private blockMapping(m: Record<string, unknown>, keys: string[]): void {
    this.increaseIndent(false, false);
    for (const key of sortKeys(keys)) {
      this.writeIndent();
      if (!analyze(key).multiline && Buffer.byteLength(key) <= 128) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false, false, false);
      } else {
        // Long or multi-line keys are written as complex keys: `? key` then `: value`.
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(m[key], { mapping: true });
    }
    this.popIndent();
  }

  /** An empty collection: the only flow collections JSON data produces. */
  private flowCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private scalar(text: string, requested: Style): void {
    const a = analyze(text);
    const style = this.selectStyle(text, requested, a);
    this.increaseIndent(true, false);
    const allowBreaks = !this.ctx.simpleKey;
    const chars = runes(text);
    switch (style) {
      case 'plain':
        this.writePlain(chars, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(chars, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(chars, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(chars);
        break;
    }
    this.popIndent();
  }

  /** libyaml's select_scalar_style; scalars never sit inside a flow collection here (those are all empty). */
  private selectStyle(text: string, requested: Style, a: Analysis): Style {
    let style = requested;
    if (this.ctx.simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed) style = 'single';
      if (text.length === 0 && this.ctx.simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.ctx.simpleKey)) style = 'double';
    return style;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private put(s: string): void {
    this.out += s;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** Writes one line-break character from a scalar (libyaml's write_break). */
  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out += ch;
      this.column = 0;
    }
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    if (!chars.includes(' ') && !chars.some(isBreak)) {
      // Nothing to fold or break: the loop below would only copy the characters.
      this.out += chars.join('');
      this.column += chars.length;
      this.whitespace = false;
      this.indention = false;
      return;
    }
    let spaces = false;
    let breaks = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    // A leading byte order mark makes libyaml escape every character of the scalar.
    const bom = chars[0] === '\ufeff';
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    chars.forEach((ch, i) => {
      const cp = ch.codePointAt(0)!;
      if (!isPrintable(cp) || bom || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put('\\');
        for (const c of escapeOf(cp)) this.put(c);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    });
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: string[]): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(chars);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** The indentation indicator (content starting with a space or break) and the chomping one. */
  private writeBlockScalarHints(chars: string[]): void {
    const first = chars[0] ?? '';
    if (first === ' ' || isBreak(first)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const n = chars.length;
    let chomp = '';
    if (n === 0 || !isBreak(chars[n - 1]!)) chomp = '-';
    else if (n === 1 || isBreak(chars[n - 2]!)) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
  }
}

/** The text and requested style of a scalar, as go-yaml's encoder picks them for JSON values. */
function scalarOf(v: unknown): [string, Style] {
  if (v === null || v === undefined) return ['null', 'plain'];
  if (typeof v === 'boolean') return [v ? 'true' : 'false', 'plain'];
  if (typeof v === 'number') return [formatNumber(v), 'plain'];
  const s = String(v);
  if (s.includes('\n')) return [s, 'literal'];
  return [s, resolvesToString(s) && !isBase60Float(s) ? 'plain' : 'double'];
}

/** JSON numbers come back from go-yaml as int (decimal) or float64 (strconv 'g', -1). */
function formatNumber(n: number): string {
  if (isGoInt(n) || (Number.isInteger(n) && Math.abs(n) < 2 ** 64)) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isNaN(n)) return '.nan';
  return formatGoFloat(n);
}

/** Splits into runes; a lone surrogate is U+FFFD, as it is once encoded to UTF-8. */
function runes(s: string): string[] {
  if (!/[\ud800-\udfff]/.test(s)) return s.split('');
  return Array.from(s, (ch) => (ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '\ufffd' : ch));
}

function isBreak(ch: string): boolean {
  return ch === '\r' || ch === '\n' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

/** libyaml's is_printable, expressed on code points (it tests UTF-8 bytes). */
function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

const SHORT_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function escapeOf(cp: number): string {
  const short = SHORT_ESCAPES[cp];
  if (short) return short;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}

/** libyaml's analyze_scalar: which styles can represent the text. */
function analyze(text: string): Analysis {
  if (text.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const chars = runes(text);
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  if (text.startsWith('---') || text.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  chars.forEach((ch, i) => {
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (',?[]{}'.includes(ch)) {
      flowIndicators = true;
    } else if (ch === ':') {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (ch === '#' && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }

    if (!isPrintable(ch.codePointAt(0)!)) specialCharacters = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || isBreak(ch) || ch === '\0';
  });

  const a: Analysis = { multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/**
 * go-yaml's keyList.Less for string keys: rune by rune; letters sort after non-letters;
 * where both sides have digits, the digit runs compare as numbers (int64, wrapping like Go).
 */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return cp(ar[i]!) < cp(br[i]!);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(cp(ar[ai]!) - 0x30));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(cp(br[bi]!) - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return cp(ar[i]!) < cp(br[i]!);
  }
  return ar.length < br.length;
}

function sortKeys(keys: string[]): string[] {
  return goSortArray([...keys].sort(), yamlKeyLess);
}

function cp(ch: string): number {
  return ch.codePointAt(0)!;
}

function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}
