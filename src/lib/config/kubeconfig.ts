import { stat } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { ConfigError } from '../errors.js';
import { defaultKubeconfigPath, resolveEnvironment, type ConfigEnvironment, type ResolvedEnvironment } from './environment.js';
import { errnoCode, goPathError, readConfigFile } from './files.js';
import type { Cluster, Context, KubeconfigFile, NamedExtension, User } from './model.js';
import { parseKubeconfig } from './parse.js';

/**
 * Which kubeconfig files kubectl reads, in precedence order (client-go's
 * `ClientConfigLoadingRules`).
 */
export interface LoadingRules {
  /** `--kubeconfig F`: only F is read, and it must exist. */
  explicitPath?: string;
  /** Otherwise `$KUBECONFIG` (split on the path delimiter, empty entries and duplicates dropped), else `~/.kube/config`. */
  precedence: string[];
}

/** Where each cluster, user and context of a merged kubeconfig was defined. */
export interface EntryOrigins {
  clusters: Map<string, string>;
  users: Map<string, string>;
  contexts: Map<string, string>;
}

/**
 * The loading rules for a `--kubeconfig` value (or none): the explicit file, else the `KUBECONFIG`
 * list, else `~/.kube/config`.
 */
export function loadingRulesFor(explicitPath: string | undefined, environment?: ConfigEnvironment | ResolvedEnvironment): LoadingRules {
  const resolved = resolveEnvironment(environment);
  if (explicitPath) return { explicitPath, precedence: [] };
  const list = resolved.env.KUBECONFIG;
  if (list) return { precedence: [...new Set(list.split(delimiter).filter((p) => p !== ''))] };
  return { precedence: [defaultKubeconfigPath(resolved)] };
}

/**
 * A merged kubeconfig, the way kubectl sees it. The first file that defines a cluster, user or
 * context name supplies the whole entry (later files never add fields to it); `current-context`
 * comes from the first file with a non-empty value. Relative paths are already absolute against the
 * directory of the file that defined them. {@link Kubeconfig.originOf} tells which file that was,
 * which is where `kubectl config` writes changes to the entry back.
 */
export class Kubeconfig {
  /** The merged document (plain JSON, unknown fields kept), suitable for `config view`. */
  readonly config: KubeconfigFile;
  /** The files that were read, in precedence order. */
  readonly files: readonly string[];
  /** `KUBECONFIG` entries that did not exist and were skipped. */
  readonly missing: readonly string[];
  /** The rules the files were chosen by; writers need them to pick the file to change. */
  readonly rules: LoadingRules;
  private readonly origins: EntryOrigins;
  private readonly clusters: Map<string, Cluster>;
  private readonly users: Map<string, User>;
  private readonly contexts: Map<string, Context>;

  constructor(init: { config: KubeconfigFile; origins?: EntryOrigins; files?: readonly string[]; missing?: readonly string[]; rules?: LoadingRules }) {
    this.config = init.config;
    this.files = init.files ?? [];
    this.missing = init.missing ?? [];
    this.rules = init.rules ?? { precedence: [...this.files] };
    this.origins = init.origins ?? { clusters: new Map(), users: new Map(), contexts: new Map() };
    this.clusters = new Map(init.config.clusters.map((e) => [e.name, e.cluster]));
    this.users = new Map(init.config.users.map((e) => [e.name, e.user]));
    this.contexts = new Map(init.config.contexts.map((e) => [e.name, e.context]));
  }

  /** A kubeconfig with nothing in it (what kubectl works from when no file exists). */
  static empty(rules?: LoadingRules): Kubeconfig {
    return new Kubeconfig({ config: { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], preferences: {} }, rules });
  }

  /**
   * One kubeconfig from YAML text. `file` names it in error messages and is the base for relative
   * paths (default: a file in the current directory).
   */
  static fromYaml(text: string, file = 'kubeconfig'): Kubeconfig {
    return mergeKubeconfigFiles([{ file, config: parseKubeconfig(text, file) }], { precedence: [file] });
  }

  /** Reads the kubeconfig kubectl would read; see {@link loadKubeconfig}. */
  static load(options?: { kubeconfig?: string }, environment?: ConfigEnvironment): Promise<Kubeconfig> {
    return loadKubeconfig(options, environment);
  }

  /** `current-context`, or `''` when no file sets one. */
  get currentContext(): string {
    return this.config['current-context'] ?? '';
  }

  /** The named cluster entry, or undefined. */
  cluster(name: string): Cluster | undefined {
    return this.clusters.get(name);
  }

  /** The named user (`AuthInfo`) entry, or undefined. */
  user(name: string): User | undefined {
    return this.users.get(name);
  }

  /** The named context entry, or undefined. */
  context(name: string): Context | undefined {
    return this.contexts.get(name);
  }

  /** The file that defined the named entry (undefined when unknown or built in memory). */
  originOf(kind: 'cluster' | 'user' | 'context', name: string): string | undefined {
    const map = kind === 'cluster' ? this.origins.clusters : kind === 'user' ? this.origins.users : this.origins.contexts;
    return map.get(name);
  }
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);
}

/**
 * Merges parsed files in precedence order with kubectl's rules: whole named entries from the first
 * file that defines the name, scalars (and each preferences field) from the first file with a
 * non-empty value, top-level extensions by name from the first file.
 */
export function mergeKubeconfigFiles(files: Array<{ file: string; config: KubeconfigFile }>, rules: LoadingRules, missing: string[] = []): Kubeconfig {
  const merged: KubeconfigFile = { clusters: [], users: [], contexts: [] };
  const origins: EntryOrigins = { clusters: new Map(), users: new Map(), contexts: new Map() };
  const preferences: Record<string, unknown> = {};
  const extensions: NamedExtension[] = [];
  for (const { file, config } of files) {
    for (const entry of config.clusters) {
      if (origins.clusters.has(entry.name)) continue;
      origins.clusters.set(entry.name, file);
      merged.clusters.push(entry);
    }
    for (const entry of config.users) {
      if (origins.users.has(entry.name)) continue;
      origins.users.set(entry.name, file);
      merged.users.push(entry);
    }
    for (const entry of config.contexts) {
      if (origins.contexts.has(entry.name)) continue;
      origins.contexts.set(entry.name, file);
      merged.contexts.push(entry);
    }
    for (const [key, value] of Object.entries(config.preferences ?? {})) {
      if (isEmptyValue(preferences[key])) preferences[key] = value;
    }
    for (const extension of config.extensions ?? []) {
      if (!extensions.some((e) => e.name === extension.name)) extensions.push(extension);
    }
    for (const [key, value] of Object.entries(config)) {
      if (['clusters', 'users', 'contexts', 'preferences', 'extensions'].includes(key)) continue;
      if (isEmptyValue(merged[key]) && !isEmptyValue(value)) merged[key] = value;
    }
  }
  merged.apiVersion ??= 'v1';
  merged.kind ??= 'Config';
  merged.preferences = preferences;
  if (extensions.length > 0) merged.extensions = extensions;
  return new Kubeconfig({ config: merged, origins, files: files.map((f) => f.file), missing, rules });
}

/**
 * Reads and merges the kubeconfig exactly as kubectl does. With `kubeconfig` (the `--kubeconfig`
 * flag) only that file is read and it must exist (`stat F: no such file or directory`). Otherwise
 * the `KUBECONFIG` list is read, skipping missing files silently (they are listed in
 * {@link Kubeconfig.missing}), or `~/.kube/config` when `KUBECONFIG` is unset. Unreadable or
 * malformed files are a {@link ConfigError} naming the file. No file at all gives an empty
 * kubeconfig.
 */
export async function loadKubeconfig(options: { kubeconfig?: string } = {}, environment?: ConfigEnvironment): Promise<Kubeconfig> {
  const rules = loadingRulesFor(options.kubeconfig, environment);
  const candidates = rules.explicitPath ? [rules.explicitPath] : rules.precedence;
  if (rules.explicitPath) {
    try {
      await stat(rules.explicitPath);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw new ConfigError(goPathError(err, rules.explicitPath, 'stat'), { cause: err });
    }
  }
  const loaded: Array<{ file: string; config: KubeconfigFile }> = [];
  const missing: string[] = [];
  const failures: ConfigError[] = [];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readConfigFile(file);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        missing.push(file);
      } else {
        failures.push(new ConfigError(`error loading config file "${file}": ${(err as Error).message}`, { cause: err }));
      }
      continue;
    }
    try {
      loaded.push({ file, config: parseKubeconfig(text, file) });
    } catch (err) {
      failures.push(err as ConfigError);
    }
  }
  const [first] = failures;
  if (first) throw failures.length === 1 ? first : new ConfigError(failures.map((f) => f.message).join('\n'), { cause: failures });
  return mergeKubeconfigFiles(loaded, rules, missing);
}
