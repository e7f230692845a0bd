import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** True when the pattern has glob metacharacters (`*`, `?`, `[`), as Go's filepath.Glob reads them. */
export function hasGlobMeta(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * A path segment pattern as a RegExp: `*` any run of characters except the separator, `?` one
 * character, `[...]` a class (`[^...]` or `[!...]` negated), `\` escapes the next character.
 * Throws on a malformed class, as filepath.Match reports ErrBadPattern.
 */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < segment.length) re += escapeRegExp(segment[++i]!);
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) throw new Error('syntax error in pattern');
      let body = segment.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^') || body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/[\]\\]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Expands a glob the way Go's `filepath.Glob` does: metacharacters work within one path segment
 * (no `**`), hidden files match `*`, and the matches come back sorted per directory. A pattern
 * without metacharacters yields itself when it exists. No match yields an empty list.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!hasGlobMeta(pattern)) return (await exists(pattern)) ? [pattern] : [];
  const absolute = pattern.startsWith(sep);
  const segments = pattern.split(sep).filter((s, i) => s !== '' || i === 0);
  let bases: string[] = [absolute ? sep : ''];
  for (const [i, segment] of segments.entries()) {
    if (i === 0 && absolute) continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlobMeta(segment)) {
        const candidate = base ? join(base, segment) : segment;
        if (await exists(candidate)) next.push(candidate);
        continue;
      }
      const re = segmentRegExp(segment);
      let names: string[];
      try {
        names = await readdir(base || '.');
      } catch {
        continue;
      }
      for (const name of names.sort()) if (re.test(name)) next.push(base ? join(base, name) : name);
    }
    bases = next;
  }
  return bases;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
