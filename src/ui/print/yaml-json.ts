/**
 * sigs.k8s.io/yaml does not convert an object to YAML directly: it marshals it to JSON with
 * encoding/json and parses that text with go-yaml's YAML parser before emitting. JSON is YAML,
 * except for a few characters encoding/json leaves raw inside strings:
 * - U+007F..U+0084, U+0086..U+009F, U+FFFE and U+FFFF are rejected by the YAML reader
 *   (`yaml: control characters are not allowed`);
 * - U+0085 (NEL) is a YAML line break, so inside a double-quoted scalar it folds: spaces
 *   around it vanish, one break becomes a space, n breaks become n-1 newlines; a NEL followed
 *   by `---` or `...` and a blank is a document marker (an error), and a key that spans
 *   lines (or whose JSON text is longer than 1024 characters) is not a key (an error).
 * This reproduces that round trip, so the emitter sees what kubectl's emitter sees.
 */
import { compareCodePoints } from './gofmt.js';

export class YamlConversionError extends Error {
  override name = 'YamlConversionError';
}

const NEL = '\u0085';

/** The value as go-yaml reads back its JSON encoding; throws go-yaml's error where it fails. */
export function throughYamlParser(value: unknown): unknown {
  if (hasForbiddenCharacter(value)) throw new YamlConversionError('yaml: control characters are not allowed');
  return new Reader().value(value);
}

function hasForbiddenCharacter(v: unknown): boolean {
  if (typeof v === 'string') return /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.test(v);
  if (Array.isArray(v)) return v.some(hasForbiddenCharacter);
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasForbiddenCharacter(k) || hasForbiddenCharacter(x));
  return false;
}

class Reader {
  /** Line of the YAML parser's position: NELs are the only raw line breaks in the JSON text. */
  private line = 0;

  value(v: unknown): unknown {
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v === null || typeof v !== 'object') return v;
    const m = v as Record<string, unknown>;
    const line = this.line;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(m).sort(compareCodePoints)) {
      if (m[key] === undefined) continue;
      const folded = this.string(key);
      if (key.includes(NEL) || jsonTextLength(key) > 1024) {
        const where = this.line || line;
        throw new YamlConversionError(`yaml: ${where ? `line ${where}: ` : ''}did not find expected ',' or '}'`);
      }
      out[folded] = this.value(m[key]);
    }
    return out;
  }

  /** A double-quoted scalar's folding of raw spaces and NELs (escaped characters never fold). */
  private string(s: string): string {
    if (!s.includes(NEL)) return s;
    let out = '';
    let i = 0;
    const n = s.length;
    for (;;) {
      const atLineStart = i > 0 && s[i - 1] === NEL;
      if (atLineStart && (s.startsWith('---', i) || s.startsWith('...', i)) && (s[i + 3] === ' ' || s[i + 3] === NEL)) {
        throw new YamlConversionError(`yaml: line ${this.line + 1}: found unexpected document indicator`);
      }
      while (i < n && s[i] !== ' ' && s[i] !== NEL) out += s[i++];
      if (i >= n) return out;
      let whitespace = '';
      let leadingBreak = false;
      let trailingBreaks = '';
      while (i < n && (s[i] === ' ' || s[i] === NEL)) {
        if (s[i] === ' ') {
          if (!leadingBreak) whitespace += ' ';
        } else {
          this.line++;
          if (!leadingBreak) {
            whitespace = '';
            leadingBreak = true;
          } else {
            trailingBreaks += '\n';
          }
        }
        i++;
      }
      if (leadingBreak) out += trailingBreaks === '' ? ' ' : trailingBreaks;
      else out += whitespace;
      if (i >= n) return out;
    }
  }
}

/** Length in characters of the string's encoding/json literal, quotes included. */
function jsonTextLength(s: string): number {
  let n = 2;
  for (const ch of s) {
    if (ch === '"' || ch === '\\' || ch === '\b' || ch === '\f' || ch === '\n' || ch === '\r' || ch === '\t') n += 2;
    else if (ch < ' ' || ch === '<' || ch === '>' || ch === '&' || ch === '\u2028' || ch === '\u2029') n += 6;
    else n += 1;
  }
  return n;
}
