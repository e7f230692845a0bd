// How `kubectl config` reads and writes kubeconfig files (client-go `PathOptions` and
// `ModifyConfig`). It differs from what other commands load: paths stay as written, a missing
// `--kubeconfig` file is an empty config, and every write rewrites the whole target file in kubectl's
// own form, so a file edited by ktx is byte for byte the file kubectl would have left.
import { mkdir, open, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultWriteTarget, loadingRulesFor, mergeKubeconfigFiles, parseKubeconfig, type Cluster, type Context, type Kubeconfig, type KubeconfigFile, type LoadingRules, type User } from '../../lib/config/index.js';
import { errnoCode, goPathError, readConfigFile as readConfigText } from '../../lib/config/files.js';
import { ConfigError } from '../../lib/errors.js';
import { marshalGoYaml } from '../../ui/print/yaml.js';
import { toV1, v1Context } from './v1.js';

/** The files `kubectl config` works on, from `--kubeconfig` or the environment. */
export function configAccess(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadingRules {
  return loadingRulesFor(kubeconfig, { env });
}

function precedence(rules: LoadingRules): string[] {
  return rules.explicitPath ? [rules.explicitPath] : rules.precedence;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The library resolves relative paths while parsing; `kubectl config` shows and keeps them as written.
function restoreWrittenPaths(config: KubeconfigFile, text: string): void {
  const raw: unknown = parseAllDocuments(text.replace(/^\uFEFF/, ''))[0]?.toJS({ maxAliasCount: 10_000 });
  if (!isObject(raw)) return;
  const written = (list: string, field: string, i: number): Record<string, unknown> => {
    const entries = raw[list];
    const entry: unknown = Array.isArray(entries) ? entries[i] : undefined;
    return isObject(entry) && isObject(entry[field]) ? entry[field] : {};
  };
  config.clusters.forEach(({ cluster }, i) => {
    const w = written('clusters', 'cluster', i);
    if (typeof w['certificate-authority'] === 'string') cluster['certificate-authority'] = w['certificate-authority'];
  });
  config.users.forEach((entry, i) => {
    const w = written('users', 'user', i);
    for (const key of ['client-certificate', 'client-key', 'tokenFile'] as const) {
      if (typeof w[key] === 'string') entry.user[key] = w[key];
    }
    if (isObject(w.exec) && typeof w.exec.command === 'string' && isObject(entry.user.exec)) {
      entry.user.exec = { ...entry.user.exec, command: w.exec.command };
    }
  });
}

/** One file as `kubectl config` reads it; undefined when it does not exist. */
export async function readConfigFile(file: string): Promise<KubeconfigFile | undefined> {
  let text: string;
  try {
    text = await readConfigText(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new ConfigError(`error loading config file "${file}": ${(err as Error).message}`, { cause: err });
  }
  const config = parseKubeconfig(text, file);
  restoreWrittenPaths(config, text);
  return config;
}

/** The merged kubeconfig `kubectl config` starts from (`PathOptions.GetStartingConfig`). */
export async function startingConfig(rules: LoadingRules): Promise<Kubeconfig> {
  const loaded: Array<{ file: string; config: KubeconfigFile }> = [];
  const missing: string[] = [];
  for (const file of precedence(rules)) {
    const config = await readConfigFile(file);
    if (config) loaded.push({ file, config });
    else missing.push(file);
  }
  return mergeKubeconfigFiles(loaded, rules, missing);
}

// client-go takes `<file>.lock` for every file it may write, in sorted order, before reading them.
async function withLocks<T>(files: string[], work: () => Promise<T>): Promise<T> {
  const held: string[] = [];
  try {
    for (const file of [...files].sort()) {
      await mkdir(dirname(file), { recursive: true, mode: 0o755 });
      const lock = `${file}.lock`;
      try {
        await (await open(lock, 'wx', 0)).close();
      } catch (err) {
        throw new ConfigError(goPathError(err, lock, 'open'), { cause: err });
      }
      held.push(lock);
    }
    return await work();
  } finally {
    await Promise.all(held.map((lock) => unlink(lock).catch(() => undefined)));
  }
}

async function rewrite(file: string, edit: (config: KubeconfigFile) => void): Promise<void> {
  const config = (await readConfigFile(file)) ?? { clusters: [], users: [], contexts: [] };
  edit(config);
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  await writeFile(file, marshalGoYaml(toV1(config)), { mode: 0o600 });
}

/** What a `config` command changes; only what differs from the starting config is written. */
export interface ConfigChange {
  currentContext?: string;
  /** A context to add or change; `origin` is the file to write it to when not the one that defines `name`. */
  context?: { name: string; context: Context; origin?: string };
  /** An entry to delete from the file that defines it. */
  remove?: { kind: 'cluster' | 'user' | 'context'; name: string };
  /** A cluster to add or replace, in the file that defines it or the default file (paths already as that file should hold them). */
  cluster?: { name: string; cluster: Cluster };
  /** A user to add or replace, likewise. */
  user?: { name: string; user: User };
}

/**
 * Writes a change the way `kubectl config` does (`clientcmd.ModifyConfig`): `current-context` to
 * the `--kubeconfig` file or `defaultWriteTarget`, a context to the file that defined it (a new
 * one to `defaultWriteTarget`). Each file written is rewritten whole in kubectl's form; files
 * with nothing to change are not touched.
 */
export async function modifyConfig(rules: LoadingRules, change: ConfigChange): Promise<void> {
  await withLocks(precedence(rules), async () => {
    const starting = await startingConfig(rules);
    if (change.currentContext !== undefined && change.currentContext !== starting.currentContext) {
      const name = change.currentContext;
      const file = rules.explicitPath ?? (await defaultWriteTarget(rules));
      await rewrite(file, (config) => {
        config['current-context'] = name;
      });
    }
    const update = change.context;
    const before = update && starting.context(update.name);
    if (update && !(before && JSON.stringify(v1Context(before)) === JSON.stringify(v1Context(update.context)))) {
      const file = update.origin ?? starting.originOf('context', update.name) ?? (await defaultWriteTarget(rules));
      await rewrite(file, (config) => {
        config.contexts = [...config.contexts.filter((c) => c.name !== update.name), { name: update.name, context: update.context }];
      });
    }
    if (change.cluster) {
      const { name, cluster } = change.cluster;
      await rewrite(starting.originOf('cluster', name) ?? (await defaultWriteTarget(rules)), (config) => {
        config.clusters = [...config.clusters.filter((e) => e.name !== name), { name, cluster }];
      });
    }
    if (change.user) {
      const { name, user } = change.user;
      await rewrite(starting.originOf('user', name) ?? (await defaultWriteTarget(rules)), (config) => {
        config.users = [...config.users.filter((e) => e.name !== name), { name, user }];
      });
    }
    const removal = change.remove;
    const from = removal && starting.originOf(removal.kind, removal.name);
    if (removal && from) {
      await rewrite(from, (config) => {
        if (removal.kind === 'cluster') config.clusters = config.clusters.filter((e) => e.name !== removal.name);
        else if (removal.kind === 'user') config.users = config.users.filter((e) => e.name !== removal.name);
        else config.contexts = config.contexts.filter((e) => e.name !== removal.name);
      });
    }
  });
}
