// The kubeconfig as kubectl serialises it (client-go's clientcmd v1 types): entries sorted by name,
// only known fields, Go's field order and omitempty rules. `config view` prints this form and every
// `config` write rewrites the target file in it.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Cluster, Context, Kubeconfig, KubeconfigFile, NamedExtension, User } from '../../lib/config/index.js';
import { decodeBase64Strict, goPathError } from '../../lib/config/files.js';
import { ConfigError } from '../../lib/errors.js';
import { compareCodePoints } from '../../ui/print/gofmt.js';

type Json = Record<string, unknown>;

const DATA_OMITTED = 'DATA+OMITTED';
const REDACTED = 'REDACTED';

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const byName = <T extends { name: string }>(a: T, b: T) => compareCodePoints(a.name, b.name);

/** Sets `key` only when Go's `omitempty` would keep the value. */
function setNonEmpty(out: Json, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '' || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (isObject(value) && Object.keys(value).length === 0) return;
  out[key] = value;
}

// client-go keeps `*-data` as bytes, so it writes back canonical base64 whatever the file had.
function canonicalBase64(value: unknown): string {
  const text = str(value);
  return text === '' ? '' : decodeBase64Strict(text).toString('base64');
}

// Go structs print their fields in declaration order, Go maps sorted; JSON output needs to know which is which.
const structs = new WeakSet<object>();

function struct<T extends object>(value: T): T {
  structs.add(value);
  return value;
}

/** Whether a value of a {@link toV1} document is a Go struct (keys in field order) rather than a map. */
export function isV1Struct(value: object): boolean {
  return structs.has(value);
}

function extensions(list: NamedExtension[] | null | undefined): Json[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const byKey = new Map<string, unknown>();
  for (const e of list) if (isObject(e)) byKey.set(str(e.name), e.extension ?? null);
  return [...byKey.keys()].sort(compareCodePoints).map((name) => struct({ name, extension: byKey.get(name) }));
}

function v1Cluster(c: Cluster): Json {
  const out: Json = struct({ server: str(c.server) });
  setNonEmpty(out, 'tls-server-name', str(c['tls-server-name']));
  setNonEmpty(out, 'insecure-skip-tls-verify', c['insecure-skip-tls-verify'] === true);
  setNonEmpty(out, 'certificate-authority', str(c['certificate-authority']));
  setNonEmpty(out, 'certificate-authority-data', canonicalBase64(c['certificate-authority-data']));
  setNonEmpty(out, 'proxy-url', str(c['proxy-url']));
  setNonEmpty(out, 'disable-compression', c['disable-compression'] === true);
  setNonEmpty(out, 'extensions', extensions(c.extensions));
  return out;
}

function v1Exec(e: Json): Json {
  const out: Json = struct({
    command: str(e.command),
    args: Array.isArray(e.args) ? e.args.map(str) : null,
    env: Array.isArray(e.env) ? e.env.map((v: unknown) => struct({ name: isObject(v) ? str(v.name) : '', value: isObject(v) ? str(v.value) : '' })) : null,
  });
  setNonEmpty(out, 'apiVersion', str(e.apiVersion));
  setNonEmpty(out, 'installHint', str(e.installHint));
  out.provideClusterInfo = e.provideClusterInfo === true;
  setNonEmpty(out, 'interactiveMode', str(e.interactiveMode));
  return out;
}

function v1User(u: User): Json {
  const out: Json = struct({});
  setNonEmpty(out, 'client-certificate', str(u['client-certificate']));
  setNonEmpty(out, 'client-certificate-data', canonicalBase64(u['client-certificate-data']));
  setNonEmpty(out, 'client-key', str(u['client-key']));
  setNonEmpty(out, 'client-key-data', canonicalBase64(u['client-key-data']));
  setNonEmpty(out, 'token', str(u.token));
  setNonEmpty(out, 'tokenFile', str(u.tokenFile));
  setNonEmpty(out, 'as', str(u.as));
  setNonEmpty(out, 'as-uid', str(u['as-uid']));
  setNonEmpty(out, 'as-groups', Array.isArray(u['as-groups']) ? u['as-groups'].map(str) : undefined);
  setNonEmpty(out, 'as-user-extra', isObject(u['as-user-extra']) ? u['as-user-extra'] : undefined);
  setNonEmpty(out, 'username', str(u.username));
  setNonEmpty(out, 'password', str(u.password));
  const provider = u['auth-provider'];
  if (isObject(provider)) {
    const p: Json = struct({ name: str(provider.name) });
    setNonEmpty(p, 'config', isObject(provider.config) ? provider.config : undefined);
    out['auth-provider'] = p;
  }
  if (isObject(u.exec)) out.exec = v1Exec(u.exec);
  setNonEmpty(out, 'extensions', extensions(u.extensions));
  return out;
}

/** One context in kubectl's form; equal forms mean kubectl sees no change. */
export function v1Context(c: Context): Json {
  const out: Json = struct({ cluster: str(c.cluster), user: str(c.user) });
  setNonEmpty(out, 'namespace', str(c.namespace));
  setNonEmpty(out, 'extensions', extensions(c.extensions));
  return out;
}

function nullIfEmpty<T>(list: T[]): T[] | null {
  return list.length === 0 ? null : list;
}

/** The document kubectl prints or writes for `config`, in Go's field order (what `-o json` shows). */
export function toV1(config: KubeconfigFile): Json {
  const out: Json = struct({ kind: 'Config', apiVersion: 'v1' });
  const prefs = config.preferences ?? {};
  const preferences: Json = struct({});
  setNonEmpty(preferences, 'colors', prefs.colors === true);
  setNonEmpty(preferences, 'extensions', extensions(prefs.extensions as NamedExtension[] | undefined));
  setNonEmpty(out, 'preferences', preferences);
  out.clusters = nullIfEmpty([...config.clusters].sort(byName).map((e) => struct({ name: e.name, cluster: v1Cluster(e.cluster) })));
  out.users = nullIfEmpty([...config.users].sort(byName).map((e) => struct({ name: e.name, user: v1User(e.user) })));
  out.contexts = nullIfEmpty([...config.contexts].sort(byName).map((e) => struct({ name: e.name, context: v1Context(e.context) })));
  out['current-context'] = str(config['current-context']);
  setNonEmpty(out, 'extensions', extensions(config.extensions));
  return out;
}

/**
 * `config view` without `--raw`: certificate and key data become `DATA+OMITTED`, tokens and
 * passwords `REDACTED` (client-go `ShortenConfig`). Works on the {@link toV1} form.
 */
export function shorten(v1: Json): void {
  for (const entry of (v1.clusters as Json[] | null) ?? []) {
    const c = entry.cluster as Json;
    if (c['certificate-authority-data']) c['certificate-authority-data'] = DATA_OMITTED;
  }
  for (const entry of (v1.users as Json[] | null) ?? []) {
    const u = entry.user as Json;
    for (const key of ['client-certificate-data', 'client-key-data']) if (u[key]) u[key] = DATA_OMITTED;
    for (const key of ['token', 'password']) if (u[key]) u[key] = REDACTED;
  }
}

/**
 * `config view --minify`: only the context in use and its cluster and user (client-go
 * `MinifyConfig`, with its error texts).
 */
export function minify(config: KubeconfigFile, contextOverride?: string): KubeconfigFile {
  const current = contextOverride || str(config['current-context']);
  if (!current) throw new ConfigError('current-context must exist in order to minify');
  const context = config.contexts.find((c) => c.name === current);
  if (!context) throw new ConfigError(`cannot locate context ${current}`);
  const clusterName = str(context.context.cluster);
  const clusters = clusterName ? config.clusters.filter((c) => c.name === clusterName) : [];
  if (clusterName && clusters.length === 0) throw new ConfigError(`cannot locate cluster ${clusterName}`);
  const userName = str(context.context.user);
  const users = userName ? config.users.filter((u) => u.name === userName) : [];
  if (userName && users.length === 0) throw new ConfigError(`cannot locate user ${userName}`);
  return { ...config, 'current-context': current, contexts: [context], clusters, users };
}

async function embed(entry: Json, pathKey: string, dataKey: string, baseDir: string): Promise<void> {
  const path = str(entry[pathKey]);
  if (!path) return;
  if (str(entry[dataKey])) throw new ConfigError('cannot have values for both path and contents');
  const absolute = isAbsolute(path) ? path : join(baseDir, path);
  try {
    entry[dataKey] = (await readFile(absolute)).toString('base64');
  } catch (err) {
    throw new ConfigError(goPathError(err, absolute), { cause: err });
  }
  delete entry[pathKey];
}

/**
 * `config view --flatten`: certificate and key files are read (relative to the file that defined
 * the entry) and embedded as `*-data` (client-go `FlattenConfig`).
 */
export async function flatten(config: KubeconfigFile, origins: Kubeconfig): Promise<KubeconfigFile> {
  const baseOf = (kind: 'cluster' | 'user', name: string) => resolve(dirname(origins.originOf(kind, name) ?? ''));
  const users = structuredClone(config.users).sort(byName);
  for (const { name, user } of users) {
    await embed(user, 'client-certificate', 'client-certificate-data', baseOf('user', name));
    await embed(user, 'client-key', 'client-key-data', baseOf('user', name));
  }
  const clusters = structuredClone(config.clusters).sort(byName);
  for (const { name, cluster } of clusters) await embed(cluster, 'certificate-authority', 'certificate-authority-data', baseOf('cluster', name));
  return { ...config, users, clusters };
}
