import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { KtxError } from '../errors.js';
import { expandGlob, hasGlobMeta } from './glob.js';

/** One input to read manifests from: its name as kubectl reports it (`STDIN`, the path, the URL) and its text. */
export interface ManifestSource {
  name: string;
  text: string;
}

/** An `-f` argument could not be read (missing path, unreadable file, failed URL). Nothing should be applied. */
export class ManifestSourceError extends KtxError {
  override name = 'ManifestSourceError';
}

/** The file extensions read from directories (files named explicitly may have any extension). */
export const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'];

/** Options of {@link readManifestSources}. */
export interface ReadSourcesOptions {
  /** Descend into subdirectories of directory arguments (`-R`). */
  recursive?: boolean;
  /** Reads standard input for `-`; defaults to reading `process.stdin` to its end. */
  readStdin?: () => Promise<string>;
  /** HTTP attempts for URLs, retried 1 s apart on 5xx and connection errors (default 3, as kubectl). */
  httpAttempts?: number;
  /** Pause between URL attempts in ms (default 1000). */
  httpRetryDelayMs?: number;
  signal?: AbortSignal;
}

/**
 * Reads `-f` arguments the way kubectl's resource builder does, in argument order:
 * - `-` is standard input (named `STDIN`);
 * - `http://` and `https://` URLs are fetched, retrying 5xx answers and connection errors;
 * - a directory contributes its `.json`/`.yaml`/`.yml` files in lexical order (its whole tree with `recursive`);
 * - a path that does not exist is expanded as a glob (`*.yaml`); no match fails with kubectl's
 *   `the path "X" does not exist`.
 *
 * Fails (ManifestSourceError) on the first argument that cannot be read; kubectl applies nothing then either.
 */
export async function readManifestSources(args: string[], options: ReadSourcesOptions = {}): Promise<ManifestSource[]> {
  const out: ManifestSource[] = [];
  let fromPaths = 0;
  for (const arg of args) {
    if (arg === '-') {
      out.push({ name: 'STDIN', text: await (options.readStdin ?? readProcessStdin)() });
    } else if (/^https?:\/\//.test(arg)) {
      out.push({ name: arg, text: await readUrl(arg, options) });
    } else {
      const files = await expandPath(arg, !!options.recursive);
      fromPaths += files.length;
      for (const file of files) out.push({ name: file, text: await readText(file) });
    }
  }
  const paths = args.filter((a) => a !== '-' && !/^https?:\/\//.test(a));
  if (paths.length > 0 && fromPaths === 0 && out.length === 0) {
    throw new ManifestSourceError(`error reading [${paths.join(' ')}]: recognized file extensions are [${MANIFEST_EXTENSIONS.join(' ')}]`);
  }
  return out;
}

async function expandPath(path: string, recursive: boolean): Promise<string[]> {
  let matches: string[];
  try {
    await stat(path);
    matches = [path];
  } catch {
    try {
      matches = hasGlobMeta(path) ? await expandGlob(path) : [];
    } catch (err) {
      throw new ManifestSourceError(`pattern "${path}" is not valid: ${(err as Error).message}`);
    }
    if (matches.length === 0) throw new ManifestSourceError(`the path "${path}" does not exist`);
  }
  const files: string[] = [];
  for (const m of matches) {
    const st = await stat(m);
    if (st.isDirectory()) files.push(...(await walk(m, recursive, true)));
    else files.push(m);
  }
  return files;
}

/** The manifest files under a directory in lexical order, as filepath.Walk visits them. */
async function walk(dir: string, recursive: boolean, top: boolean): Promise<string[]> {
  if (!top && !recursive) return [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, recursive, false)));
    else if (MANIFEST_EXTENSIONS.includes(extname(e.name))) out.push(p);
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new ManifestSourceError(`open ${file}: ${why}`);
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** kubectl's readHttpWithRetries: retry connection errors and 5xx, never other statuses. */
async function readUrl(url: string, options: ReadSourcesOptions): Promise<string> {
  const attempts = options.httpAttempts ?? 3;
  let lastError: ManifestSourceError | undefined;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await delay(options.httpRetryDelayMs ?? 1000, undefined, options.signal ? { signal: options.signal } : {});
    let res: Response;
    try {
      res = await fetch(url, options.signal ? { signal: options.signal } : {});
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      lastError = new ManifestSourceError(`Get "${url}": ${cause ?? (err as Error).message}`);
      continue;
    }
    if (res.status === 200) return res.text();
    await res.body?.cancel();
    lastError = new ManifestSourceError(`unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
    if (res.status < 500 || res.status >= 600) break;
  }
  throw lastError!;
}
