// Sort keys that order like `Intl.Collator('en', { numeric: true }).compare` under plain `<`, so a
// table of 10,000 rows sorts (and stays sorted) without calling into ICU for every comparison.
//
// The collator is ICU's root collation at tertiary strength with numeric ordering. For printable
// ASCII that comes down to:
// - primary level: every character has its own weight, case aside, in the order of PRIMARY_ORDER
//   below (space, punctuation, symbols, then digits, then letters); a run of digits is one number,
//   compared by value (leading zeros do not count: "a01" and "a1" are equal);
// - secondary level: nothing differs in ASCII;
// - tertiary level: lower case before upper case, at the first letter where the case differs.
// A key is the primary weights, a separator, then one case mark per letter. Strings with other
// characters (controls, tabs, anything beyond ASCII) or absurdly long digit runs get no key, and
// the caller compares them with the collator itself; since keys agree with the collator, the two
// can be mixed in one sort. test/tui/collation-key.test.ts checks the agreement exhaustively for
// strings of up to two characters and on random strings.

/** The collator whose order the keys reproduce (and the fallback for strings without one). */
export const collator = new Intl.Collator('en', { numeric: true });

const PRIMARY_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

// Key characters start at 0x21: U+0000 and U+0001 stay free as separators (see table-model.ts).
const FIRST_WEIGHT = 0x21;
const WEIGHT = new Uint8Array(128);
for (let i = 0; i < PRIMARY_ORDER.length; i++) WEIGHT[PRIMARY_ORDER.charCodeAt(i)] = FIRST_WEIGHT + i;
/** Numbers sort after every symbol and before every letter. */
const NUMBER = FIRST_WEIGHT + PRIMARY_ORDER.length;
for (let c = 0x61; c <= 0x7a; c++) WEIGHT[c] = WEIGHT[c - 0x20] = NUMBER + 1 + (c - 0x61);

/** ICU compares digit runs of up to 254 digits by value; longer ones are left to the collator. */
const MAX_DIGITS = 200;

/**
 * A key `k` for `s` such that for any two strings with keys, `ka < kb` exactly when the collator
 * puts `a` before `b`, and `ka === kb` exactly when it finds them equal; undefined when `s` has
 * characters outside printable ASCII.
 */
export function collationKey(s: string): string | undefined {
  let primary = '';
  let tertiary = '';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      let start = i;
      while (start < s.length && s.charCodeAt(start) === 0x30) start++;
      let end = start;
      while (end < s.length && s.charCodeAt(end) >= 0x30 && s.charCodeAt(end) <= 0x39) end++;
      if (end - i > MAX_DIGITS) return undefined;
      const digits = start === end ? '0' : s.slice(start, end);
      // Longer numbers are larger; equal lengths compare digit by digit.
      primary += String.fromCharCode(NUMBER, FIRST_WEIGHT + digits.length) + digits;
      i = end;
      continue;
    }
    if (c < 0x20 || c > 0x7e) return undefined;
    primary += String.fromCharCode(WEIGHT[c]!);
    if (c >= 0x61 && c <= 0x7a) tertiary += '0';
    else if (c >= 0x41 && c <= 0x5a) tertiary += '1';
    i++;
  }
  return `${primary}\u0001${tertiary}`;
}
