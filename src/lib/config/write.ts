import { mkdir, open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Document, isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import { ConfigError } from '../errors.js';
import { decodeConfigText, errnoCode, goPathError } from './files.js';
import type { Kubeconfig, LoadingRules } from './kubeconfig.js';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file kubectl writes new entries and `current-context` to (client-go `GetDefaultFilename`):
 * the `--kubeconfig` file, else the first existing file of the `KUBECONFIG` list, else its last
 * entry (`~/.kube/config` without `KUBECONFIG`).
 */
export async function defaultWriteTarget(rules: LoadingRules): Promise<string> {
  if (rules.explicitPath) return rules.explicitPath;
  if (rules.precedence.length === 1) return rules.precedence[0]!;
  for (const file of rules.precedence) if (await exists(file)) return file;
  const last = rules.precedence.at(-1);
  if (last === undefined) throw new ConfigError('no kubeconfig file to write to');
  return last;
}

// client-go guards kubeconfig writes with `<file>.lock`, created exclusively.
async function withLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  let handle;
  try {
    handle = await open(lock, 'wx', 0o600);
  } catch (err) {
    throw new ConfigError(goPathError(err, lock, 'open'), { cause: err });
  }
  await handle.close();
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * Whether block sequences in `text` are indented below their key (`key:\n  - a`). kubectl writes
 * them flush (`key:\n- a`); hand-written files vary, and rewriting keeps whichever style is there.
 */
function indentsSequences(text: string): boolean {
  const match = /^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( *)- /m.exec(text);
  return match !== null && (match[2]?.length ?? 0) > (match[1]?.length ?? 0);
}

async function readDocument(file: string): Promise<{ doc: Document; indentSeq: boolean }> {
  let text = '';
  try {
    text = decodeConfigText(await readFile(file));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw new ConfigError(goPathError(err, file), { cause: err });
  }
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) throw new ConfigError(`error loading config file "${file}": ${error.message.split('\n')[0] ?? ''}`, { cause: error });
  if (isMap(doc.contents)) return { doc, indentSeq: indentsSequences(text) };
  // An empty (or new) file becomes the document kubectl writes for an empty config.
  const empty = { apiVersion: 'v1', clusters: null, contexts: null, 'current-context': '', kind: 'Config', preferences: {}, users: null };
  return { doc: new Document(empty), indentSeq: false };
}

async function editFile(file: string, edit: (doc: Document) => void): Promise<void> {
  await withLock(file, async () => {
    const { doc, indentSeq } = await readDocument(file);
    edit(doc);
    // lineWidth 0: never fold long base64 `*-data` values.
    await writeFile(file, doc.toString({ lineWidth: 0, indentSeq, flowCollectionPadding: false }), { mode: 0o600 });
  });
}

/**
 * `kubectl config use-context NAME`: writes `current-context` to the file kubectl writes it to
 * (see {@link defaultWriteTarget}) and leaves every other file, and everything else in that file
 * (comments included), alone. Returns the file written.
 */
export async function setCurrentContext(target: Kubeconfig | LoadingRules, name: string): Promise<string> {
  const file = await defaultWriteTarget('rules' in target ? target.rules : target);
  await editFile(file, (doc) => {
    doc.set('current-context', name);
  });
  return file;
}

function contextEntry(doc: Document, name: string): YAMLMap | undefined {
  const contexts = doc.get('contexts', true);
  if (!isSeq(contexts)) return undefined;
  return contexts.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === name);
}

/**
 * `kubectl config set-context NAME --namespace=NS` (and `--current`): sets the namespace of a
 * context in the file that defined it, or adds the context to the default write target when it
 * does not exist yet. An empty namespace removes the field. Returns the file written.
 */
export async function setContextNamespace(kubeconfig: Kubeconfig, contextName: string, namespace: string): Promise<string> {
  const file = kubeconfig.originOf('context', contextName) ?? (await defaultWriteTarget(kubeconfig.rules));
  await editFile(file, (doc) => {
    let entry = contextEntry(doc, contextName);
    if (!entry) {
      entry = doc.createNode({ context: { cluster: '', user: '' }, name: contextName }) as YAMLMap;
      const contexts = doc.get('contexts', true);
      if (isSeq(contexts)) contexts.items.push(entry);
      else doc.set('contexts', doc.createNode([entry]));
    }
    const existing: unknown = entry.get('context', true);
    let context: YAMLMap;
    if (isMap(existing)) {
      context = existing;
    } else {
      context = new YAMLMap();
      entry.set('context', context);
    }
    if (namespace) context.set('namespace', namespace);
    else context.delete('namespace');
  });
  return file;
}
