/**
 * The parser of kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath): text with
 * `{…}` actions holding fields (`.a.b`, `.a\.b`), `[…]` indexes, slices, unions and `'key'`
 * lookups, `[?(…)]` filters, `..` recursive descent, `*`, quoted strings with Go escapes,
 * numbers, `true`/`false`, and the `range`/`end` identifiers. Error texts are client-go's.
 */
import { goRuneU } from './gofmt.js';

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

export interface ListNode {
  type: 'list';
  nodes: JpNode[];
}

/** One bound of a slice; `derived` marks the end bound filled in for a plain index `[i]`. */
export interface SliceParam {
  known: boolean;
  value: number;
  derived: boolean;
}

export type JpNode =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] }
  | { type: 'identifier'; name: string };

/** A parsed template: the raw text and its root list (text nodes and one list per action). */
export interface JsonPathTemplate {
  readonly raw: string;
  readonly root: ListNode;
}

/** Parses a template; throws JsonPathError with client-go's message on bad syntax. */
export function parseJsonPath(template: string): JsonPathTemplate {
  return { raw: template, root: new Parser(template).parse() };
}

const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/s;
const EOF = -1;

/** Parses `{text}` and returns its single action list (client-go's parseAction). */
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

class Parser {
  private readonly root: ListNode = { type: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private fail(message: string): never {
    throw new JsonPathError(message);
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  /** The next rune (code point), or EOF. */
  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    return cp;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        this.parseLeftDelim(cur);
        return;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const list: ListNode = { type: 'list', nodes: [] };
    cur.nodes.push(list);
    this.parseInsideAction(list);
  }

  private parseInsideAction(cur: ListNode): void {
    // Each step either finishes the action or consumes a token; loop instead of recursing.
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) return this.parseRightDelim();
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === 0x0d || r === 0x0a) this.fail('unclosed action');
      const ch = String.fromCodePoint(r);
      if (ch === ' ' || ch === '@' || ch === '$') {
        this.consumeText();
      } else if (ch === '[') {
        this.parseArray(cur);
      } else if (ch === '"' || ch === "'") {
        this.parseQuote(cur, ch);
      } else if (ch === '.') {
        this.parseField(cur);
      } else if (ch === '+' || ch === '-' || isDigit(ch)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(ch)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        this.fail(`unrecognized character in action: ${goRuneU(r)}`);
      }
    }
  }

  private parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    this.parseText(this.root);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes[cur.nodes.length - 1]?.type === 'recursive') this.fail('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    const r = this.peek();
    if (r !== EOF && isAlphaNumeric(String.fromCodePoint(r))) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const first = this.peek();
    if (first === 0x2b || first === 0x2d) this.next();
    for (;;) {
      const r = this.next();
      if (r === EOF || (r !== 0x2e && !isDigit(String.fromCodePoint(r)))) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    const i = goAtoi(value);
    if (i !== undefined) {
      cur.nodes.push({ type: 'int', value: i });
      return;
    }
    const f = goParseFloat(value);
    if (f === undefined) this.fail(`cannot parse number ${value}`);
    cur.nodes.push({ type: 'float', value: f });
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) this.fail('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ type: 'union', nodes: parts.map((p) => parseAction(`[${p.replace(/^ +| +$/g, '')}]`)) });
      return;
    }

    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }

    const m = SLICE.exec(text);
    if (!m) this.fail(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') {
          params.push({ known: false, value: 0, derived: false });
        } else {
          const n = goAtoi(v);
          if (n === undefined) this.fail(`array index ${v} is not a number`);
          params.push({ known: true, value: n, derived: false });
        }
      } else if (i === 1) {
        params.push({ known: true, value: params[0]!.value + 1, derived: true });
      } else {
        params.push({ known: false, value: 0, derived: false });
      }
    }
    cur.nodes.push({ type: 'array', params: params as [SliceParam, SliceParam, SliceParam] });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) this.fail('unterminated filter');
      const ch = String.fromCodePoint(r);
      if (ch === '"' || ch === "'") {
        if (!begin) {
          begin = true;
          pair = ch;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && ch === pair) end = true;
      } else if (ch === ')' && begin === end) {
        break;
      }
    }
    if (this.next() !== 0x5d) this.fail('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const m = FILTER.exec(text);
    if (!m) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
    } else {
      cur.nodes.push({ type: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), operator: m[2]! });
    }
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) this.fail('unterminated quoted string');
      if (String.fromCodePoint(r) === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    const s = unquoteExtend(value);
    if (s === undefined) this.fail(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text: s });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    // Advance to the next terminator that is not escaped with a backslash.
    for (;;) {
      const r = this.next();
      if (r === 0x5c) {
        this.next();
      } else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', name: value.replaceAll('\\', '') });
  }
}

function isTerminator(r: number): boolean {
  if (r === EOF) return true;
  return ' \t\r\n.,[]$@{}'.includes(String.fromCodePoint(r));
}

function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}

function isAlphaNumeric(ch: string): boolean {
  return ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch);
}

const INT64_MAX = 2n ** 63n - 1n;

/** strconv.Atoi: optional sign and ASCII digits, within int64. */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
  return Number(n);
}

/** strconv.ParseFloat for what parseNumber can collect: a sign, digits and dots. */
function goParseFloat(s: string): number | undefined {
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s)) return undefined;
  return Number(s);
}

/**
 * client-go's UnquoteExtend: strconv.Unquote that also takes single-quoted strings of any
 * length. Returns undefined for invalid syntax.
 */
function unquoteExtend(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const quote = s[0]!;
  if (quote !== s[s.length - 1] || (quote !== '"' && quote !== "'")) return undefined;
  const body = s.slice(1, -1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === quote) return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case "'":
      case '"':
        if (e !== quote) return undefined;
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i, i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
        const v = parseInt(hex, 16);
        i += n;
        if (e === 'x') {
          // \xNN is a single byte; only ASCII bytes form a valid string on their own.
          if (v > 0x7f) return undefined;
          out += String.fromCharCode(v);
        } else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
          out += String.fromCodePoint(v);
        }
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        const oct = body.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(oct)) return undefined;
        const v = parseInt(oct, 8);
        if (v > 0x7f) return undefined;
        out += String.fromCharCode(v);
        i += 2;
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}
