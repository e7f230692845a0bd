import { dirname, resolve } from 'node:path';
import { mapClusterPaths, mapUserPaths, resolveKubeconfigPath } from './entry-paths.js';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../errors.js';
import { decodeBase64Strict } from './files.js';
import type { KubeconfigFile, NamedCluster, NamedContext, NamedUser } from './model.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Names Go's encoding/json uses for the JSON type it found where an object or list was expected.
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** The first line of a `yaml` library error, in go-yaml's `yaml: line N: …` shape. */
function yamlErrorText(error: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const line = error.linePos?.[0]?.line;
  return line === undefined ? `yaml: ${first}` : `yaml: line ${line}: ${first}`;
}

const LIST_TYPES = {
  clusters: { field: 'cluster', goEntry: 'NamedCluster', goValue: 'Cluster' },
  users: { field: 'user', goEntry: 'NamedAuthInfo', goValue: 'AuthInfo' },
  contexts: { field: 'context', goEntry: 'NamedContext', goValue: 'Context' },
} as const;

type ListName = keyof typeof LIST_TYPES;

function normaliseList(doc: Json, list: ListName): Json[] {
  const raw = doc[list];
  if (raw === undefined || raw === null) return [];
  const { field, goEntry, goValue } = LIST_TYPES[list];
  if (!Array.isArray(raw)) {
    throw new Error(`json: cannot unmarshal ${goJsonType(raw)} into Go struct field Config.${list} of type []v1.${goEntry}`);
  }
  const seen = new Set<string>();
  return raw.map((entry: unknown) => {
    if (!isObject(entry)) {
      throw new Error(`json: cannot unmarshal ${goJsonType(entry)} into Go struct field Config.${list} of type v1.${goEntry}`);
    }
    const name = typeof entry.name === 'string' ? entry.name : '';
    if (seen.has(name)) {
      throw new Error(`error converting *[]${goEntry} into *map[string]*api.${goValue}: duplicate name "${name}" in list`);
    }
    seen.add(name);
    const value = entry[field];
    if (value !== undefined && value !== null && !isObject(value)) {
      throw new Error(`json: cannot unmarshal ${goJsonType(value)} into Go struct field ${goEntry}.${list}.${field} of type v1.${goValue}`);
    }
    return { ...entry, name, [field]: isObject(value) ? { ...value } : {} };
  });
}

/**
 * Makes the file paths of one kubeconfig document absolute against the directory of the file that
 * defined them, as client-go's `ResolveLocalPaths` does (which fields: {@link mapClusterPaths},
 * {@link mapUserPaths}).
 */
export function resolveRelativePaths(config: KubeconfigFile, file: string): void {
  const base = resolve(dirname(file));
  const absolute = (path: string) => resolveKubeconfigPath(base, path);
  for (const { cluster } of config.clusters) mapClusterPaths(cluster, absolute);
  for (const { user } of config.users) mapUserPaths(user, absolute);
}

// client-go decodes the `*-data` fields while reading the file, so bad base64 is a load error.
function checkBase64Fields(config: KubeconfigFile): void {
  const check = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') decodeBase64Strict(value);
  };
  for (const { cluster } of config.clusters) check(cluster['certificate-authority-data']);
  for (const { user } of config.users) {
    check(user['client-certificate-data']);
    check(user['client-key-data']);
  }
}

/**
 * Parses one kubeconfig file's text the way client-go's `LoadFromFile` does: a UTF-8 BOM is
 * skipped, an empty file is an empty config, `users: null` and entries without their object
 * (`user: {}` or nothing) are accepted, relative paths are resolved against the file's directory,
 * and any problem is a {@link ConfigError} `error loading config file "<file>": …` (with the line
 * when the YAML parser gives one). Unknown fields are kept.
 */
export function parseKubeconfig(text: string, file: string): KubeconfigFile {
  try {
    const config = parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    checkBase64Fields(config);
    resolveRelativePaths(config, file);
    return config;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`error loading config file "${file}": ${reason}`, { cause: err });
  }
}

function parseDocument(text: string): KubeconfigFile {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  // Like go-yaml, only the first document counts.
  const doc = docs[0];
  if (!doc) return { clusters: [], users: [], contexts: [] };
  const error = doc.errors[0];
  if (error) throw new Error(yamlErrorText(error));
  const value: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (value === null || value === undefined) return { clusters: [], users: [], contexts: [] };
  if (!isObject(value)) {
    throw new Error(
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  return {
    ...value,
    clusters: normaliseList(value, 'clusters') as unknown as NamedCluster[],
    users: normaliseList(value, 'users') as unknown as NamedUser[],
    contexts: normaliseList(value, 'contexts') as unknown as NamedContext[],
  };
}
