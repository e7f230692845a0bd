// Shared by the write-path tests: manifests on disk, two-namespace differential runs, direct API reads.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Options } from 'execa';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { ktx, normalise, refKubectl, type CliResult, type Normalise } from '../helpers/differential.js';
import { contextClient } from '../helpers/client.js';
import { Api } from '../../src/lib/api/api.js';
import type { ApiResource, KubeObject } from '../../src/lib/api/resource.js';

export const client = contextClient('admin');

export const configMaps: ApiResource = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const deployments: ApiResource = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
export const replicaSets: ApiResource = { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true };
export const pods: ApiResource = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
export const secrets: ApiResource = { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
export const services: ApiResource = { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true };

export function api(resource: ApiResource, namespace?: string): Api {
  return resource.namespaced ? Api.namespaced(client, resource, namespace) : Api.cluster(client, resource);
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'ktx-write-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes objects as a multi-document YAML file (or raw text) and returns its path. */
export function writeManifest(path: string, docs: object[] | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof docs === 'string' ? docs : docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
  return path;
}

export function configMap(name: string, data: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(extra.metadata ?? {}) }, data };
}

export function deployment(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string> } = {}): KubeObject {
  const app = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { ...app, ...(opts.labels ?? {}) } },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: app },
      template: {
        metadata: { labels: app },
        spec: { containers: [{ name: 'main', image: opts.image ?? 'registry.invalid/app:1', ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'a<b&c>' }] }] },
      },
    },
  };
}

export function service(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } };
}

/**
 * Runs ktx and the reference kubectl on separate copies of the objects (each command with its own
 * arguments, typically `-n <its namespace>`) and expects the same stdout, stderr and exit code once
 * `replace` pairs and the usual normalisation (program name) are applied.
 */
export async function expectSameAs(ktxArgs: string[], kubectlArgs: string[], n: Normalise = {}, opts: Options = {}): Promise<{ ktx: CliResult; kubectl: CliResult }> {
  const [mine, theirs] = await Promise.all([ktx(ktxArgs, opts), refKubectl(kubectlArgs, opts)]);
  const view = (r: CliResult) => ({ exitCode: r.exitCode, stdout: normalise(r.stdout, n), stderr: normalise(r.stderr, n) });
  expect(view(mine), `ktx ${ktxArgs.join(' ')}`).toEqual(view(theirs));
  return { ktx: mine, kubectl: theirs };
}

/** Replacements that make two namespaces read the same. */
export function sameNamespace(a: string, b: string, as = 'NS'): Array<[RegExp, string]> {
  return [
    [new RegExp(a, 'g'), as],
    [new RegExp(b, 'g'), as],
  ];
}

export { ktx, refKubectl };
