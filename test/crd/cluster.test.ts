// defineCustomResource and applyCustomResourceDefinition against the real control plane, checked
// with the reference kubectl: printer columns, subresources, CEL, names, categories and versions.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import { applyCustomResourceDefinition, CustomResourceDefinitionError, defineCustomResource } from '../../src/lib/crd/index.js';
import { ApiError, TransportError } from '../../src/lib/errors.js';
import type { CustomResourceDefinition } from '../../src/lib/types/apiextensions/v1.js';
import { customResourceDefinitions } from '../../src/lib/types/resources.js';
import { kubectl, useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';
import { fullDefinition } from './fixtures.js';

const ns = useNamespace('crd');
const suffix = randomBytes(3).toString('hex');
// A group and short name of this run only, so kubectl resolves names to these CRDs alone.
const group = `crd-${suffix}.ktx.test`;
const shortName = `gr${suffix}`;
const fieldManager = 'ktx-crd-test';
const deprecation = `${group}/v1beta1 Greeting is deprecated; use v1`;

const Greeting = defineCustomResource({
  group,
  version: 'v1',
  kind: 'Greeting',
  scope: 'Namespaced',
  shortNames: [shortName],
  categories: ['all'],
  schema: {
    spec: {
      type: 'object',
      required: ['name', 'replicas'],
      properties: {
        name: { type: 'string', maxLength: 63, 'x-kubernetes-validations': [{ rule: "self != 'nobody'", message: 'name must not be nobody' }] },
        greeting: { type: 'string', enum: ['Hello', 'Hi'], default: 'Hello' },
        replicas: { type: 'integer', minimum: 0 },
        note: { type: 'string' },
      },
    },
    status: {
      type: 'object',
      properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } },
    },
  },
  printerColumns: [
    { name: 'Greeting', type: 'string', jsonPath: '.spec.greeting' },
    { name: 'Target', type: 'string', jsonPath: '.spec.name' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.replicas' },
    { name: 'Note', type: 'string', jsonPath: '.spec.note', priority: 1 },
  ],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  validations: [{ rule: 'self.spec.replicas <= 10', message: 'replicas must be at most 10' }],
  selectableFields: ['.spec.name'],
  versions: [
    { name: 'v1beta1', deprecated: true, deprecationWarning: deprecation },
    { name: 'v1alpha1', served: false },
  ],
  labels: { 'ktx.dev/test': 'crd' },
});

const Planet = defineCustomResource({
  group,
  version: 'v1',
  kind: 'Planet',
  scope: 'Cluster',
  schema: { spec: { type: 'object', required: ['radiusKm'], properties: { radiusKm: { type: 'integer' } } } },
});

const client = contextClient('admin');
const greetings = () => Greeting.api(client, ns.name);
const crdNames = [Greeting.name, Planet.name, `greeters.${group}`, `broken.${group}`];

const cacheRoot = mkdtempSync(join(tmpdir(), 'ktx-crd-kubectl-'));
let cacheDirs = 0;

/** The reference kubectl with an empty discovery cache, so it sees CRDs established a moment ago. */
async function kubectlFresh(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const dir = join(cacheRoot, String(cacheDirs++));
  mkdirSync(dir);
  const r = await kubectl([`--cache-dir=${dir}`, ...args]);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * kubectl output once it succeeds: aggregated discovery can publish a CRD a moment after it
 * is Established, so the first attempts may not know the resource yet.
 */
async function kubectlEventually(args: string[], accept: (stdout: string) => boolean = () => true): Promise<{ stdout: string; stderr: string }> {
  return waitUntil(`kubectl ${args.join(' ')}`, async () => {
    const r = await kubectlFresh(args);
    if (r.exitCode !== 0) throw new Error(r.stderr);
    return accept(r.stdout) ? r : undefined;
  });
}

/** kubectl's table output as rows of cells, cut at the header's column starts (cells may be empty). */
function table(stdout: string): string[][] {
  const lines = stdout.trimEnd().split('\n');
  const starts = [...lines[0]!.matchAll(/\S+/g)].map((m) => m.index);
  return lines.map((line) => starts.map((start, i) => line.slice(start, starts[i + 1]).trim()));
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

let established: CustomResourceDefinition[] = [];

beforeAll(async () => {
  established = await Promise.all([Greeting, Planet].map((def) => applyCustomResourceDefinition(client, def, { fieldManager })));
});

afterAll(async () => {
  await kubectl(['delete', 'customresourcedefinitions', ...crdNames, '--ignore-not-found', '--wait=false']);
  rmSync(cacheRoot, { recursive: true, force: true });
});

describe('applyCustomResourceDefinition', () => {
  it('applies the CRDs and returns them once Established', async () => {
    for (const crd of established) {
      expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
      expect(crd.status?.acceptedNames?.plural).toBe(crd.spec.names.plural);
    }
    expect(established[0]!.spec.versions.map((v) => [v.name, v.served, v.storage, v.deprecated ?? false])).toEqual([
      ['v1', true, true, false],
      ['v1beta1', true, false, true],
      ['v1alpha1', false, false, false],
    ]);
    const r = await kubectlFresh(['get', 'crd', Greeting.name, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']);
    expect(r.stdout).toBe('True');
  });

  it('has the apiserver accept the full manifest of the manifest test (server-side dry run)', async () => {
    const full = defineCustomResource(fullDefinition(`full-${group}`));
    const accepted = await Api.cluster(client, customResourceDefinitions).create(full.crd, { dryRun: true, fieldValidation: 'Strict' });
    expect(accepted.metadata?.name).toBe(`greetings.full-${group}`);
    expect(accepted.spec.versions.map((v) => v.name)).toEqual(['v1', 'v1beta1', 'v1alpha1']);
    expect(accepted.spec.versions[0]!.schema).toEqual(full.crd.spec.versions[0]!.schema);
  });

  it('is idempotent: applying the same definition again returns at once', async () => {
    const again = await applyCustomResourceDefinition(client, Greeting, { fieldManager });
    expect(again.metadata?.uid).toBe(established[0]!.metadata?.uid);
    expect(again.metadata?.generation).toBe(established[0]!.metadata?.generation);
  });

  it('reports names the apiserver does not accept instead of waiting for them', async () => {
    const clash = defineCustomResource({ group, version: 'v1', kind: 'Greeting', plural: 'greeters', scope: 'Namespaced', schema: { spec: { type: 'object' } } });
    const err = await caught(applyCustomResourceDefinition(client, clash, { fieldManager }));
    expect(err).toBeInstanceOf(CustomResourceDefinitionError);
    const e = err as CustomResourceDefinitionError;
    expect(e.reason).toBe('NamesNotAccepted');
    expect(e.crdName).toBe(`greeters.${group}`);
    expect(e.message).toContain(`customresourcedefinition "greeters.${group}" names were not accepted: `);
    expect(e.message).toMatch(/"Greeting(List)?" is already in use/);
  });

  it('passes on the apiserver rejecting a CRD, e.g. a CEL rule that does not compile', async () => {
    const bad = { ...Greeting.crd, metadata: { name: `broken.${group}` } };
    bad.spec = { ...bad.spec, names: { kind: 'Broken', plural: 'broken' }, versions: [{ ...bad.spec.versions[0]!, name: 'v1' }] };
    bad.spec.versions[0]!.schema!.openAPIV3Schema!['x-kubernetes-validations'] = [{ rule: 'self.spec.missing > 1' }];
    const err = await caught(applyCustomResourceDefinition(client, bad, { fieldManager }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect((err as ApiError).message).toContain('compilation failed');
  });

  it('stops with an aborted TransportError when the signal aborts', async () => {
    const err = await caught(applyCustomResourceDefinition(client, Planet, { fieldManager, signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('aborted');
  });
});

describe('custom resources through Api and kubectl', () => {
  beforeAll(async () => {
    await greetings().create(Greeting.new('hello', { name: 'world', replicas: 2, note: 'first' }));
  });

  it('shows the printer columns in kubectl get', async () => {
    const { stdout } = await kubectlEventually(['get', `greetings.${group}`, '-n', ns.name]);
    expect(table(stdout)).toEqual([
      ['NAME', 'GREETING', 'TARGET', 'REPLICAS', 'READY'],
      ['hello', 'Hello', 'world', '2', ''],
    ]);
    const wide = await kubectlFresh(['get', `greetings.${group}`, 'hello', '-n', ns.name, '-o', 'wide']);
    expect(table(wide.stdout)).toEqual([
      ['NAME', 'GREETING', 'TARGET', 'REPLICAS', 'READY', 'NOTE'],
      ['hello', 'Hello', 'world', '2', '', 'first'],
    ]);
  });

  it('applies schema defaults and returns typed objects', async () => {
    const got = await greetings().get('hello');
    expect(got).toMatchObject({ apiVersion: `${group}/v1`, kind: 'Greeting', spec: { name: 'world', greeting: 'Hello', replicas: 2 } });
    const spec: { name: string } = got.spec;
    expect(spec.name).toBe('world');
  });

  it('serves the status subresource', async () => {
    const api = greetings();
    const created = await api.create({ ...Greeting.new('st', { name: 'status', replicas: 1 }), status: { phase: 'Ignored' } });
    expect(created.status).toBeUndefined();

    const patched = await api.patchStatus('st', { type: 'merge', body: { status: { replicas: 1, phase: 'Running' } } });
    expect(patched.status).toEqual({ replicas: 1, phase: 'Running' });

    // A controller's idiom: server-side apply of status under its own field manager.
    const applied = await api.patchStatus(
      'st',
      { type: 'apply', body: { apiVersion: Greeting.apiVersion, kind: 'Greeting', metadata: { name: 'st' }, status: { phase: 'Ready' } } },
      { fieldManager: 'ktx-crd-status', force: true },
    );
    expect(applied.status?.phase).toBe('Ready');

    // Each endpoint ignores the other half of the object.
    const viaMain = await api.patch('st', { type: 'merge', body: { spec: { replicas: 3 }, status: { phase: 'Hacked' } } });
    expect([viaMain.spec.replicas, viaMain.status?.phase]).toEqual([3, 'Ready']);
    const viaStatus = await api.patchStatus('st', { type: 'merge', body: { spec: { replicas: 9 }, status: { replicas: 3 } } });
    expect([viaStatus.spec.replicas, viaStatus.status?.replicas]).toEqual([3, 3]);
    expect((await api.getStatus('st')).status?.phase).toBe('Ready');
  });

  it('serves the scale subresource to kubectl scale and Api.getScale', async () => {
    const api = greetings();
    await api.create(Greeting.new('sc', { name: 'scaled', replicas: 1 }));
    await api.patchStatus('sc', { type: 'merge', body: { status: { replicas: 1, selector: 'app=sc' } } });

    const r = await kubectlEventually(['scale', `greetings.${group}/sc`, '--replicas=3', '-n', ns.name]);
    expect(r.stdout.trim()).toBe(`greeting.${group}/sc scaled`);

    const scale = await api.getScale('sc');
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'sc' }, spec: { replicas: 3 }, status: { replicas: 1, selector: 'app=sc' } });
    expect((await api.get('sc')).spec.replicas).toBe(3);

    await api.scale('sc', 4);
    expect((await api.get('sc')).spec.replicas).toBe(4);
    // CEL rules hold for writes through the scale subresource too.
    const err = await caught(api.scale('sc', 11));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(422);
    expect((err as ApiError).message).toContain('replicas must be at most 10');
  });

  it('rejects objects that break a CEL rule with 422 and the rule message', async () => {
    const top = await caught(greetings().create(Greeting.new('too-many', { name: 'x', replicas: 11 })));
    expect(top).toBeInstanceOf(ApiError);
    expect({ code: (top as ApiError).code, reason: (top as ApiError).reason }).toEqual({ code: 422, reason: 'Invalid' });
    expect((top as ApiError).message).toContain('replicas must be at most 10');

    const nested = await caught(greetings().create(Greeting.new('nobody', { name: 'nobody', replicas: 1 })));
    expect((nested as ApiError).code).toBe(422);
    expect((nested as ApiError).message).toContain('spec.name: Invalid value: "string": name must not be nobody');
    expect(await greetings().getOpt('too-many')).toBeUndefined();
  });

  it('resolves the short name and the "all" category in kubectl', async () => {
    const short = await kubectlEventually(['get', shortName, '-n', ns.name, '-o', 'name']);
    expect(short.stdout).toContain(`greeting.${group}/hello`);
    const all = await kubectlEventually(['get', 'all', '-n', ns.name, '-o', 'name'], (out) => out.includes(`greeting.${group}/`));
    expect(all.stdout).toContain(`greeting.${group}/hello`);
  });

  it('filters on selectable fields', async () => {
    const listed = await greetings().list({ fieldSelector: 'spec.name=world' });
    expect(listed.items.map((g) => g.metadata.name)).toEqual(['hello']);
    const r = await kubectlEventually(['get', `greetings.${group}`, '-n', ns.name, '--field-selector', 'spec.name=scaled', '-o', 'name']);
    expect(r.stdout.trim()).toBe(`greeting.${group}/sc`);
  });

  it('serves the deprecated second version with its warning, and not the unserved one', async () => {
    const r = await kubectlEventually(['get', `greetings.v1beta1.${group}`, 'hello', '-n', ns.name, '-o', 'jsonpath={.apiVersion}']);
    expect(r.stdout).toBe(`${group}/v1beta1`);
    expect(r.stderr).toContain(`Warning: ${deprecation}`);

    const warnings: string[] = [];
    const warned = contextClient('admin', { onWarning: (w) => warnings.push(w) });
    const beta = new Api(warned, { ...Greeting.resource, version: 'v1beta1' }, ns.name);
    const got = await beta.get('hello');
    expect(got.apiVersion).toBe(`${group}/v1beta1`);
    expect(got.spec).toEqual({ name: 'world', greeting: 'Hello', replicas: 2, note: 'first' });
    expect(warnings).toContain(deprecation);

    const alpha = new Api(client, { ...Greeting.resource, version: 'v1alpha1' }, ns.name);
    const err = await caught(alpha.get('hello'));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(404);
  });

  it('handles a cluster-scoped kind', async () => {
    const planets = Planet.api(client);
    expect(planets.namespace).toBeUndefined();
    const name = `planet-${suffix}`;
    await planets.create(Planet.new(name, { radiusKm: 6371 }));
    expect((await planets.get(name)).spec.radiusKm).toBe(6371);
    const r = await kubectlEventually(['get', `planets.${group}`, name, '-o', 'jsonpath={.spec.radiusKm}']);
    expect(r.stdout).toBe('6371');
    expect((await planets.delete(name)).state).toBe('deleted');
  });
});
