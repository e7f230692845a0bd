// Reading -f inputs: files, directories (-R), globs, stdin, URLs with retries on 5xx, YAML/JSON
// streams with line numbers, List flattening, YAML 1.1 scalars as kubectl reads them, namespaces.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignNamespace, loadManifests, NamespaceMismatchError, parseManifests, readManifestSources } from '../../src/lib/manifests/index.js';
import { matchesLabels, parseLabelSelector } from '../../src/lib/manifests/selector.js';
import { tempDir, writeManifest } from './helpers.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('sources', () => {
  const dir = tempDir();
  beforeAll(() => {
    writeManifest(join(dir, 'b.yaml'), cm('b'));
    writeManifest(join(dir, 'a.yml'), cm('a'));
    writeManifest(join(dir, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    writeManifest(join(dir, 'notes.txt'), 'not a manifest');
    writeManifest(join(dir, 'sub', 'd.yaml'), cm('d'));
    writeManifest(join(dir, 'empty', '.keep'), '');
  });

  it('reads a directory in lexical order, only .json/.yaml/.yml, subdirectories with -R', async () => {
    const names = async (recursive: boolean) => (await loadManifests([dir], { recursive })).manifests.map((m) => m.object.metadata?.name);
    expect(await names(false)).toEqual(['a', 'b', 'c']);
    expect(await names(true)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads a file named explicitly whatever its extension, and globs', async () => {
    await expect(readManifestSources([join(dir, 'notes.txt')])).resolves.toHaveLength(1);
    const globbed = await readManifestSources([join(dir, '*.y*ml')]);
    expect(globbed.map((s) => s.name)).toEqual([join(dir, 'a.yml'), join(dir, 'b.yaml')]);
  });

  it('fails with kubectl texts for missing paths and empty directories', async () => {
    await expect(readManifestSources([join(dir, 'nope.yaml')])).rejects.toThrow(`the path "${join(dir, 'nope.yaml')}" does not exist`);
    await expect(readManifestSources([join(dir, 'z*.yaml')])).rejects.toThrow(`the path "${join(dir, 'z*.yaml')}" does not exist`);
    await expect(readManifestSources([join(dir, 'empty')])).rejects.toThrow(`error reading [${join(dir, 'empty')}]: recognized file extensions are [.json .yaml .yml]`);
  });

  it('reads - from stdin, named STDIN', async () => {
    const sources = await readManifestSources(['-'], { readStdin: async () => cm('in') });
    expect(sources).toEqual([{ name: 'STDIN', text: cm('in') }]);
  });

  describe('URLs', () => {
    let server: Server;
    let base = '';
    const hits = new Map<string, number>();
    beforeAll(async () => {
      server = createServer((req, res) => {
        const n = (hits.get(req.url ?? '') ?? 0) + 1;
        hits.set(req.url ?? '', n);
        if (req.url === '/flaky.yaml' && n < 3) return res.writeHead(503).end('busy');
        if (req.url === '/down.yaml') return res.writeHead(500).end('down');
        if (req.url === '/missing.yaml') return res.writeHead(404).end('no');
        res.writeHead(200).end(cm('remote'));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('retries 5xx answers up to three attempts', async () => {
      const sources = await readManifestSources([`${base}/flaky.yaml`], { httpRetryDelayMs: 10 });
      expect(sources).toEqual([{ name: `${base}/flaky.yaml`, text: cm('remote') }]);
      expect(hits.get('/flaky.yaml')).toBe(3);
      await expect(readManifestSources([`${base}/down.yaml`], { httpRetryDelayMs: 10 })).rejects.toThrow(
        `unable to read URL "${base}/down.yaml", server reported 500 Internal Server Error, status code=500`,
      );
      expect(hits.get('/down.yaml')).toBe(3);
    });

    it('does not retry other statuses', async () => {
      await expect(readManifestSources([`${base}/missing.yaml`], { httpRetryDelayMs: 10 })).rejects.toThrow('status code=404');
      expect(hits.get('/missing.yaml')).toBe(1);
    });
  });
});

describe('parsing', () => {
  it('splits YAML streams, skips empty documents and records the line of each object', () => {
    const text = `# leading comment\n${cm('one')}---\n---\n# nothing here\n---\n${cm('two')}`;
    const { manifests, errors } = parseManifests({ name: 'f.yaml', text });
    expect(errors).toEqual([]);
    expect(manifests.map((m) => [m.object.metadata?.name, m.line])).toEqual([
      ['one', 2],
      ['two', 10],
    ]);
  });

  it('flattens Lists (nested too) with the line of each item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: why}\n';
    const { manifests } = parseManifests({ name: 'l.yaml', text });
    expect(manifests.map((m) => [m.object.kind, m.object.metadata?.name, m.line])).toEqual([
      ['ConfigMap', 'x', 4],
      ['Secret', 'why', 10],
    ]);
  });

  it('reports a syntax error with file, line and column, and keeps the documents after it', () => {
    const text = `${cm('ok')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    bad: indent\n---\n${cm('after')}`;
    const { manifests, errors } = parseManifests({ name: 'bad.yaml', text });
    expect(manifests.map((m) => m.object.metadata?.name)).toEqual(['ok', 'after']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^error parsing bad\.yaml: error converting YAML to JSON: yaml: line 9, column \d+: /);
    expect(errors[0]!.line).toBe(9);
  });

  it('reads JSON streams of several objects', () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"ConfigMap",\n"metadata":{"name":"b"}}';
    const { manifests, errors } = parseManifests({ name: 'f.json', text });
    expect(errors).toEqual([]);
    expect(manifests.map((m) => [m.object.metadata?.name, m.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('reads scalars as kubectl (YAML 1.1 booleans and octals, timestamps and 1:20 as strings, later duplicate keys win)', () => {
    const text = 'apiVersion: v1\nkind: X\nmetadata: {name: s}\nspec:\n  a: yes\n  b: off\n  c: 0755\n  d: 2024-01-01T00:00:00Z\n  e: 1:20\n  f: 1\n  f: 2\n';
    const { manifests } = parseManifests({ name: 's.yaml', text });
    expect(manifests[0]!.object.spec).toEqual({ a: true, b: false, c: 493, d: '2024-01-01T00:00:00Z', e: '1:20', f: 2 });
  });

  it('requires apiVersion and kind with kubectl\'s validation text', () => {
    const { errors } = parseManifests({ name: 'v.yaml', text: 'a: b\n' });
    expect(errors.map((e) => e.message)).toEqual([
      'error validating "v.yaml": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false',
    ]);
  });
});

describe('namespaces', () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
  it('defaults the namespace of namespaced objects and leaves cluster-scoped ones alone', () => {
    expect(assignNamespace(obj, true, 'dev', false).metadata?.namespace).toBe('dev');
    expect(assignNamespace(obj, false, 'dev', false).metadata?.namespace).toBeUndefined();
    expect(obj.metadata).toEqual({ name: 'x' });
  });

  it('refuses a different namespace when -n was given, with kubectl\'s text', () => {
    const other = { ...obj, metadata: { name: 'x', namespace: 'prod' } };
    expect(assignNamespace(other, true, 'dev', false).metadata?.namespace).toBe('prod');
    expect(() => assignNamespace(other, true, 'dev', true)).toThrow(NamespaceMismatchError);
    expect(() => assignNamespace(other, true, 'dev', true)).toThrow(
      `the namespace from the provided object "prod" does not match the namespace "dev". You must pass '--namespace=prod' to perform this operation.`,
    );
  });
});

describe('label selectors', () => {
  it('match equality and set terms', () => {
    const labels = { app: 'web', tier: 'front' };
    const m = (s: string) => matchesLabels(parseLabelSelector(s), labels);
    expect(m('app=web')).toBe(true);
    expect(m('app==web,tier!=back')).toBe(true);
    expect(m('app in (api, web),!missing')).toBe(true);
    expect(m('tier notin (front)')).toBe(false);
    expect(m('missing')).toBe(false);
    expect(m('')).toBe(true);
  });
});
