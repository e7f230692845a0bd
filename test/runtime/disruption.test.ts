// The watcher and Store through real failures, on a private cluster so other test files are not
// disturbed: kill -9 of the kube-apiserver, a frozen (half-open) apiserver, and a 410 Gone forced
// by compacting etcd under a quiet watch (configmaps bypass the watch cache in this cluster).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { KubeObject } from '../../src/lib/api/resource.js';
import { Client } from '../../src/lib/client.js';
import { Config } from '../../src/lib/config/config.js';
import { createStore, runReflector } from '../../src/lib/runtime/store.js';
import { watcher, type WatcherConfig, type WatcherState } from '../../src/lib/runtime/watcher.js';
import { configMaps } from '../../src/lib/types/resources.js';
import type { ConfigMap } from '../../src/lib/types/index.js';
import { repoRoot, type ClusterState } from '../cluster/harness.js';
import { waitUntil } from '../helpers/wait.js';

const dir = join(mkdtempSync(join(tmpdir(), 'ktx-disruption-')), 'cluster');
let state: ClusterState;
let client: Client;

function cli(...args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { KTX_CLUSTER_DIR: dir, KTX_CLUSTER_APISERVER_ARGS: '--watch-cache-sizes=configmaps#0' },
    timeout: 180_000,
  });
}

beforeAll(async () => {
  await cli('up');
  state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState;
  client = new Client(await Config.load({ kubeconfig: state.kubeconfig }));
}, 180_000);

afterAll(async () => {
  await cli('down');
}, 60_000);

const api = () => Api.namespaced(client, configMaps, 'default');
const fingerprint = (objs: KubeObject[]) =>
  Object.fromEntries(objs.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]).sort(([a], [b]) => a!.localeCompare(b!)));

function reflect(config: WatcherConfig) {
  const ac = new AbortController();
  const states: WatcherState[] = [];
  const errors: string[] = [];
  const inits: number[] = [];
  const { store, writer } = createStore<ConfigMap>();
  const done = runReflector(
    writer,
    (async function* () {
      for await (const ev of watcher(api(), {
        backoff: { initialMs: 100, maxMs: 1000 },
        ...config,
        signal: ac.signal,
        onState: (s) => states.push(s),
        onError: (e) => errors.push(e.message),
      })) {
        if (ev.type === 'Init') inits.push(Date.now());
        yield ev;
      }
    })(),
  );
  return { store, states, errors, inits, stop: async () => (ac.abort(), await done) };
}

async function etcd(path: string, body: object): Promise<{ header: { revision: string } }> {
  const res = await fetch(`http://127.0.0.1:${state.ports.etcd}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { header: { revision: string } };
}

describe('watcher under disruption', () => {
  it('converges after kill -9 of the kube-apiserver, with no lost and no phantom objects', async () => {
    await api().create({ metadata: { name: 'k-a1', labels: { kill: 'yes' } } });
    await api().create({ metadata: { name: 'k-a2', labels: { kill: 'yes' } } });
    const r = reflect({ labelSelector: 'kill=yes', initialList: 'ListWatch' });
    try {
      await r.store.ready();
      expect(r.store.size).toBe(2);
      await cli('restart', 'kube-apiserver');
      await api().create({ metadata: { name: 'k-b1', labels: { kill: 'yes' } } });
      await api().delete('k-a1');
      await api().patch('k-a2', { type: 'merge', body: { data: { after: 'restart' } } });
      const truth = fingerprint((await api().list({ labelSelector: 'kill=yes' })).items);
      await waitUntil('the store to converge', () => JSON.stringify(fingerprint(r.store.list())) === JSON.stringify(truth), { timeoutMs: 30_000 });
      expect(Object.keys(fingerprint(r.store.list()))).toEqual(['k-a2', 'k-b1']);
      expect(r.store.get('k-a2', 'default')?.data).toEqual({ after: 'restart' });
      expect(r.states).toContain('backoff');
      expect(r.errors.length).toBeGreaterThan(0);
    } finally {
      await r.stop();
    }
  });

  it('detects a frozen, half-open connection with its idle timeout and reconnects', async () => {
    const r = reflect({ labelSelector: 'frozen=yes', timeoutSeconds: 1, initialList: 'ListWatch' });
    // Re-read: the kill -9 test restarted the apiserver under a new PID.
    const apiserverPid = (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState).pids['kube-apiserver']!;
    try {
      await r.store.ready();
      await waitUntil('a watch to be open', () => r.states.at(-1) === 'watching');
      process.kill(apiserverPid, 'SIGSTOP');
      try {
        await waitUntil('the idle timeout to fire', () => r.errors.some((e) => e.includes('no data on the watch')), { timeoutMs: 20_000 });
      } finally {
        process.kill(apiserverPid, 'SIGCONT');
      }
      await api().create({ metadata: { name: 'f-after', labels: { frozen: 'yes' } } });
      await waitUntil('the change after thawing', () => r.store.get('f-after', 'default') !== undefined, { timeoutMs: 30_000 });
    } finally {
      await r.stop();
    }
  });

  it('relists after 410 Gone on a quiet watch whose resourceVersion was compacted away, losing nothing', async () => {
    await api().create({ metadata: { name: 'q-1', labels: { quiet: 'yes' } } });
    const r = reflect({ labelSelector: 'quiet=yes', timeoutSeconds: 2, bookmarks: false, initialList: 'ListWatch' });
    try {
      await r.store.ready();
      await waitUntil('the quiet watch to be open', () => r.states.at(-1) === 'watching');
      // Move etcd's revision on with objects the watch does not select, then compact everything before it.
      for (let i = 0; i < 5; i++) await api().create({ metadata: { name: `noise-${i}` } });
      const rev = (await etcd('/v3/kv/range', { key: Buffer.from('ktx').toString('base64') })).header.revision;
      await etcd('/v3/kv/compaction', { revision: rev, physical: true });
      // The next re-watch (the server ends each watch after 2 s) asks for the compacted revision: 410.
      await waitUntil('a relist', () => r.inits.length >= 2, { timeoutMs: 20_000 });
      expect(r.states).toContain('relisting');
      await api().create({ metadata: { name: 'q-2', labels: { quiet: 'yes' } } });
      await api().patch('q-1', { type: 'merge', body: { data: { after: 'relist' } } });
      const truth = fingerprint((await api().list({ labelSelector: 'quiet=yes' })).items);
      await waitUntil('the store to equal the server', () => JSON.stringify(fingerprint(r.store.list())) === JSON.stringify(truth), { timeoutMs: 20_000 });
      expect(Object.keys(truth)).toEqual(['q-1', 'q-2']);
    } finally {
      await r.stop();
    }
  });
});
