// The `:` command bar and the `/` filter as pure functions: what a line means, and how Tab completes it.

export type Command =
  | { kind: 'quit' }
  | { kind: 'help' }
  /** `:ns` lists namespaces (a picker: Enter switches); `:ns NAME` switches directly. */
  | { kind: 'namespace'; name?: string }
  | { kind: 'context'; name?: string }
  /** `:pf`: the port-forwards started here. */
  | { kind: 'forwards' }
  /** `:TYPE`, `:TYPE NAMESPACE`, `:TYPE -A`. */
  | { kind: 'resource'; type: string; namespace?: string; allNamespaces?: boolean };

const NAMESPACE_WORDS = new Set(['ns', 'namespace', 'namespaces']);
const CONTEXT_WORDS = new Set(['ctx', 'context', 'contexts']);
const FORWARD_WORDS = new Set(['pf', 'portforward', 'portforwards', 'port-forward', 'port-forwards']);

/** Words the bar knows besides resource types. */
export const BUILTIN_WORDS = ['ctx', 'help', 'ns', 'pf', 'q', 'quit'];

export function parseCommand(line: string): Command | undefined {
  const [word, arg] = line.trim().split(/\s+/).filter(Boolean);
  if (!word) return undefined;
  const w = word.toLowerCase();
  if (w === 'q' || w === 'quit' || w === 'q!') return { kind: 'quit' };
  if (w === 'help' || w === '?') return { kind: 'help' };
  if (NAMESPACE_WORDS.has(w)) return arg ? { kind: 'namespace', name: arg } : { kind: 'namespace' };
  if (CONTEXT_WORDS.has(w)) return arg ? { kind: 'context', name: arg } : { kind: 'context' };
  if (FORWARD_WORDS.has(w)) return { kind: 'forwards' };
  if (arg === '-A' || arg === '--all-namespaces' || arg === 'all') return { kind: 'resource', type: w, allNamespaces: true };
  return arg ? { kind: 'resource', type: w, namespace: arg } : { kind: 'resource', type: w };
}

/** Candidates for the first word of `line` among `names` (built-ins included), shortest first. */
export function suggestions(line: string, names: readonly string[], limit = 8): string[] {
  if (/\s/.test(line.trimStart())) return [];
  const prefix = line.trim().toLowerCase();
  const all = [...new Set([...BUILTIN_WORDS, ...names])];
  return all
    .filter((n) => n.startsWith(prefix))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit);
}

/**
 * Tab: the longest common prefix of every candidate; a single candidate is completed in full
 * (with nothing left to type, the line is unchanged).
 */
export function complete(line: string, names: readonly string[]): string {
  const candidates = suggestions(line, names, Infinity);
  if (candidates.length === 0) return line;
  let common = candidates[0]!;
  for (const c of candidates) {
    let i = 0;
    while (i < common.length && i < c.length && common[i] === c[i]) i++;
    common = common.slice(0, i);
  }
  return common.length > line.trim().length ? common : line;
}

export type Filter = { kind: 'text'; text: string } | { kind: 'label'; selector: string };

/** `/text` filters the rows shown; `/-l app=web` (any label selector) re-lists with that selector. */
export function parseFilter(line: string): Filter {
  const m = /^\s*-l\s*(.*)$/.exec(line);
  if (m) return { kind: 'label', selector: m[1]!.trim() };
  return { kind: 'text', text: line };
}

/** What the argument of `:ctx NAME` and `:ns NAME` completes from. */
export interface ArgumentChoices {
  contexts: readonly string[];
  namespaces: readonly string[];
}

/** The argument being typed after `ctx`/`ns` (and its candidates), or undefined for any other line. */
function argumentOf(line: string, choices: ArgumentChoices): { head: string; prefix: string; candidates: string[] } | undefined {
  const m = /^(\s*(\S+)\s+)(\S*)$/.exec(line);
  if (!m) return undefined;
  const word = m[2]!.toLowerCase();
  const pool = CONTEXT_WORDS.has(word) ? choices.contexts : NAMESPACE_WORDS.has(word) ? choices.namespaces : undefined;
  if (!pool) return undefined;
  const prefix = m[3]!;
  return { head: m[1]!, prefix, candidates: [...new Set(pool)].filter((n) => n.startsWith(prefix)).sort() };
}

/** {@link suggestions}, plus context and namespace names after `:ctx ` and `:ns `. */
export function lineSuggestions(line: string, names: readonly string[], choices: ArgumentChoices, limit = 8): string[] {
  const arg = argumentOf(line, choices);
  return arg ? arg.candidates.slice(0, limit) : suggestions(line, names, limit);
}

/** {@link complete}, plus context and namespace names after `:ctx ` and `:ns `. */
export function completeLine(line: string, names: readonly string[], choices: ArgumentChoices): string {
  const arg = argumentOf(line, choices);
  if (!arg) return complete(line, names);
  if (arg.candidates.length === 0) return line;
  let common = arg.candidates[0]!;
  for (const c of arg.candidates) {
    let i = 0;
    while (i < common.length && i < c.length && common[i] === c[i]) i++;
    common = common.slice(0, i);
  }
  return common.length > arg.prefix.length ? arg.head + common : line;
}
