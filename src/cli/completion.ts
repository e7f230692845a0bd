// Dynamic shell completion: what only the kubeconfig or the cluster can answer (contexts, namespaces,
// resource types and names). Commands and flags come from yargs' own completion.
import type { GlobalFlags } from './global-flags.js';

/** Where completion values come from; every lookup may fail, which completes with nothing. */
export interface CompletionSources {
  contexts(): Promise<string[]>;
  clusters(): Promise<string[]>;
  users(): Promise<string[]>;
  namespaces(): Promise<string[]>;
  /** Resource types as `kubectl api-resources -o name` prints them (`pods`, `deployments.apps`). */
  resourceTypes(): Promise<string[]>;
  /** Names of the objects of a TYPE argument in the namespace in use. */
  resourceNames(type: string): Promise<string[]>;
}

/** Candidates for the word being completed; `files` lets the shell fall back to file names. */
export interface Completion {
  candidates: string[];
  files: boolean;
}

// Flags whose value is the next word; a flag not listed here is taken as a boolean.
const VALUE_FLAGS = new Set([
  'kubeconfig', 'context', 'cluster', 'user', 'namespace', 'n', 'server', 's', 'token', 'as', 'as-group', 'as-uid',
  'request-timeout', 'certificate-authority', 'client-certificate', 'client-key', 'tls-server-name', 'cache-dir', 'v',
  'output', 'o', 'selector', 'l', 'field-selector', 'filename', 'f', 'container', 'c', 'template', 'sort-by',
  'label-columns', 'L', 'since', 'since-time', 'tail', 'timeout', 'for', 'chunk-size', 'kustomize', 'k',
]);
const FILE_FLAGS = new Set(['kubeconfig', 'certificate-authority', 'client-certificate', 'client-key', 'cache-dir', 'filename', 'f', 'kustomize', 'k', 'template']);

// Commands whose first argument is a TYPE (or TYPE/NAME) and later ones names of that type.
const RESOURCE_COMMANDS = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch', 'wait', 'scale']);
// Commands whose first argument is a pod.
const POD_COMMANDS = new Set(['logs', 'exec', 'attach', 'port-forward']);
const CONFIG_CONTEXT_COMMANDS = new Set(['use-context', 'use', 'get-contexts', 'set-context', 'delete-context', 'rename-context']);

/** The words before the one being completed, split into flags (last value wins) and positionals. */
export interface ParsedWords {
  flags: Map<string, string>;
  positionals: string[];
  /** The flag whose value is being completed, when the previous word is one that takes a value. */
  pendingFlag?: string;
}

export function parseWords(words: string[]): ParsedWords {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  let pendingFlag: string | undefined;
  for (const word of words) {
    if (pendingFlag !== undefined) {
      flags.set(pendingFlag, word);
      pendingFlag = undefined;
    } else if (word === '--' || !word.startsWith('-') || word === '-') {
      positionals.push(word);
    } else {
      const body = word.replace(/^--?/, '');
      const eq = body.indexOf('=');
      if (eq >= 0) flags.set(body.slice(0, eq), body.slice(eq + 1));
      else if (VALUE_FLAGS.has(body)) pendingFlag = body;
      else flags.set(body, 'true');
    }
  }
  return pendingFlag === undefined ? { flags, positionals } : { flags, positionals, pendingFlag };
}

/** The global flags the completed command line sets, to reach the same cluster, as the same user, in the same namespace. */
export function flagsFromWords(parsed: ParsedWords): GlobalFlags {
  const f = (...names: string[]) => names.map((n) => parsed.flags.get(n)).find((v) => v !== undefined && v !== '');
  const out: GlobalFlags = {};
  const strings = {
    kubeconfig: f('kubeconfig'),
    context: f('context'),
    cluster: f('cluster'),
    user: f('user'),
    namespace: f('namespace', 'n'),
    server: f('server', 's'),
    token: f('token'),
    as: f('as'),
    'request-timeout': f('request-timeout'),
    'certificate-authority': f('certificate-authority'),
    'cache-dir': f('cache-dir'),
  } as const;
  for (const [key, value] of Object.entries(strings)) if (value !== undefined) out[key as keyof typeof strings] = value;
  const insecure = f('insecure-skip-tls-verify');
  if (insecure !== undefined && insecure !== 'false') out['insecure-skip-tls-verify'] = true;
  return out;
}

async function flagValues(flag: string, sources: CompletionSources): Promise<Completion> {
  if (FILE_FLAGS.has(flag)) return { candidates: [], files: true };
  switch (flag) {
    case 'namespace':
    case 'n':
      return { candidates: await sources.namespaces(), files: false };
    case 'context':
      return { candidates: await sources.contexts(), files: false };
    case 'cluster':
      return { candidates: await sources.clusters(), files: false };
    case 'user':
      return { candidates: await sources.users(), files: false };
    default:
      return { candidates: [], files: false };
  }
}

// TYPE, `TYPE1,TYPE2` (the last item is completed) or `TYPE/NAME`.
async function typeOrTypeName(current: string, sources: CompletionSources): Promise<string[]> {
  const slash = current.indexOf('/');
  if (slash >= 0) {
    const type = current.slice(0, slash);
    return (await sources.resourceNames(type)).map((n) => `${type}/${n}`);
  }
  const comma = current.lastIndexOf(',');
  const prefix = current.slice(0, comma + 1);
  return (await sources.resourceTypes()).map((t) => prefix + t);
}

async function positionalValues(parsed: ParsedWords, current: string, sources: CompletionSources): Promise<string[] | undefined> {
  const [command, ...args] = parsed.positionals;
  if (command === undefined) return undefined;
  if (RESOURCE_COMMANDS.has(command)) {
    const [type] = args;
    if (type === undefined || type.includes('/')) return typeOrTypeName(current, sources);
    if (type.includes(',')) return [];
    return sources.resourceNames(type);
  }
  if (command === 'explain') return args.length === 0 ? sources.resourceTypes() : [];
  if (POD_COMMANDS.has(command)) return args.length === 0 ? sources.resourceNames('pods') : [];
  if (command === 'config') {
    const [sub, ...subArgs] = args;
    if (sub === undefined) return undefined;
    if (CONFIG_CONTEXT_COMMANDS.has(sub)) return sub === 'get-contexts' || subArgs.length === 0 ? sources.contexts() : [];
    if (sub === 'delete-cluster' || sub === 'set-cluster') return subArgs.length === 0 ? sources.clusters() : [];
    if (sub === 'delete-user' || sub === 'set-credentials') return subArgs.length === 0 ? sources.users() : [];
  }
  return undefined;
}

/**
 * Completes the last of `words` (the words after the program name) from the kubeconfig and the
 * cluster: values of `-n`, `--context`, `--cluster`, `--user` (also as `--flag=`), resource types
 * and names for resource commands, pods, and context names for `config` subcommands. Undefined
 * means the word is a command or flag name, which yargs completes.
 */
export async function completeDynamic(words: string[], sourcesFor: (parsed: ParsedWords) => CompletionSources): Promise<Completion | undefined> {
  const current = words.at(-1) ?? '';
  const parsed = parseWords(words.slice(0, -1));
  const sources = sourcesFor(parsed);
  const keep = (c: Completion, prefix = ''): Completion => ({
    files: c.files,
    candidates: c.candidates.map((v) => prefix + v).filter((v) => v.startsWith(current)),
  });
  const inline = /^(--?([^=]+)=)/.exec(current);
  if (inline && parsed.pendingFlag === undefined) return keep(await flagValues(inline[2]!, sources), inline[1]);
  if (parsed.pendingFlag !== undefined) return keep(await flagValues(parsed.pendingFlag, sources));
  if (current.startsWith('-')) return undefined;
  const values = await positionalValues(parsed, current, sources);
  return values === undefined ? undefined : keep({ candidates: values, files: false });
}
