/**
 * Go's encoding/json output for decoded JSON values, which is what kubectl prints for
 * `-o json`, jsonpath maps and lists, and `-o jsonpath-as-json`:
 * - object keys sorted bytewise (Go marshals maps in sorted key order);
 * - `<`, `>` and `&` escaped as \u003c, \u003e, \u0026, and U+2028/U+2029 as \u2028/\u2029;
 * - control characters as \b \f \n \r \t or \u00XX;
 * - numbers in Go's float format (exponent below 1e-6 and from 1e21 on), which matches JS.
 */
import { compareCodePoints } from './gofmt.js';

/** json.Marshal (indent '') or json.MarshalIndent(v, '', indent). No trailing newline. */
export function marshalGoJson(value: unknown, indent = ''): string {
  const out: string[] = [];
  encode(value, indent, '', out);
  return out.join('');
}

function encode(v: unknown, indent: string, prefix: string, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
  } else if (typeof v === 'boolean') {
    out.push(v ? 'true' : 'false');
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? (Object.is(v, -0) ? '0' : String(v)) : 'null');
  } else if (typeof v === 'string') {
    out.push(quoteGoJson(v));
  } else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    const inner = prefix + indent;
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (indent) out.push('\n', inner);
      encode(item, indent, inner, out);
    });
    if (indent) out.push('\n', prefix);
    out.push(']');
  } else if (typeof v === 'object') {
    const m = v as Record<string, unknown>;
    const keys = Object.keys(m)
      .filter((k) => m[k] !== undefined)
      .sort(compareCodePoints);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = prefix + indent;
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      if (indent) out.push('\n', inner);
      out.push(quoteGoJson(k), indent ? ': ' : ':');
      encode(m[k], indent, inner, out);
    });
    if (indent) out.push('\n', prefix);
    out.push('}');
  } else {
    out.push(quoteGoJson(String(v)));
  }
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A JSON string literal with encoding/json's HTML-safe escaping. */
export function quoteGoJson(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\x00-\x1f<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short) return short;
    // Go decodes a lone surrogate escape to U+FFFD and prints that rune as is.
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  })}"`;
}
