// watcher + reflector Store against the real control plane.
import { describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { KubeObject } from '../../src/lib/api/resource.js';
import { ApiError } from '../../src/lib/errors.js';
import { createStore, runReflector, type Store } from '../../src/lib/runtime/store.js';
import { watcher, type WatcherConfig, type WatcherEvent, type WatcherState } from '../../src/lib/runtime/watcher.js';
import { configMaps } from '../../src/lib/types/resources.js';
import type { ConfigMap } from '../../src/lib/types/index.js';
import { useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('watcher');
const api = () => Api.namespaced(contextClient('admin'), configMaps, ns.name);

/** name → resourceVersion, the identity of a state. */
function fingerprint(objs: KubeObject[]): Record<string, string> {
  return Object.fromEntries(objs.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]).sort(([a], [b]) => a!.localeCompare(b!)));
}

function startReflector(config: WatcherConfig): { store: Store<ConfigMap>; stop: () => Promise<void>; errors: unknown[] } {
  const ac = new AbortController();
  const errors: unknown[] = [];
  const { store, writer } = createStore<ConfigMap>();
  const done = runReflector(writer, watcher(api(), { ...config, signal: ac.signal, onError: (e) => errors.push(e) }));
  return {
    store,
    errors,
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}

async function collect(config: WatcherConfig, until: (events: WatcherEvent<ConfigMap>[]) => boolean): Promise<WatcherEvent<ConfigMap>[]> {
  const ac = new AbortController();
  const events: WatcherEvent<ConfigMap>[] = [];
  const run = (async () => {
    for await (const ev of watcher(api(), { ...config, signal: ac.signal })) {
      events.push(ev);
      if (until(events)) ac.abort();
    }
  })();
  await waitUntil('the expected watcher events', () => until(events), { timeoutMs: 20_000 });
  ac.abort();
  await run;
  return events;
}

const summary = (events: WatcherEvent<ConfigMap>[]) =>
  events.map((e) => ('object' in e ? `${e.type} ${e.object.metadata?.name}` : e.type));

describe('watcher', () => {
  it('brackets the initial list with Init/InitDone, pages through it, then follows changes', async () => {
    await Promise.all(['a', 'b', 'c'].map((n) => api().create({ metadata: { name: `seq-${n}`, labels: { seq: 'yes' } } })));
    for (const initialList of ['ListWatch', 'StreamingList'] as const) {
      let created = false;
      const events = await collect({ labelSelector: 'seq=yes', pageSize: 2, initialList }, (evs) => {
        if (!created && evs.some((e) => e.type === 'InitDone')) {
          created = true;
          void api()
            .create({ metadata: { name: `seq-new-${initialList.toLowerCase()}`, labels: { seq: 'yes' } } })
            .then(() => api().delete(`seq-new-${initialList.toLowerCase()}`));
        }
        return evs.some((e) => e.type === 'Delete');
      });
      expect(summary(events), initialList).toEqual([
        'Init',
        'InitApply seq-a',
        'InitApply seq-b',
        'InitApply seq-c',
        'InitDone',
        `Apply seq-new-${initialList.toLowerCase()}`,
        `Delete seq-new-${initialList.toLowerCase()}`,
      ]);
      const first = events[1] as { object: ConfigMap };
      expect(first.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    }
  });

  it('resumes from the last resourceVersion when the server closes the watch, without relisting', async () => {
    const states: WatcherState[] = [];
    let writes = 0;
    const events = await collect({ labelSelector: 'resume=yes', timeoutSeconds: 1, initialList: 'ListWatch', onState: (s) => states.push(s) }, (evs) => {
      // Write after each (re)watch so events span several server-side watch timeouts.
      const applies = evs.filter((e) => e.type === 'Apply').length;
      if (evs.some((e) => e.type === 'InitDone') && applies === writes && writes < 3) {
        writes++;
        setTimeout(() => void api().create({ metadata: { name: `resume-${writes}`, labels: { resume: 'yes' } } }), 1200);
      }
      return applies >= 3;
    });
    expect(summary(events)).toEqual(['Init', 'InitDone', 'Apply resume-1', 'Apply resume-2', 'Apply resume-3']);
    expect(states.filter((s) => s === 'listing' || s === 'relisting')).toEqual(['listing']);
  });

  it('watches metadata only', async () => {
    await api().create({ metadata: { name: 'meta-only', labels: { meta: 'yes' } }, data: { big: 'x'.repeat(1000) } });
    const events = await collect({ labelSelector: 'meta=yes', metadataOnly: true }, (evs) => evs.some((e) => e.type === 'InitDone'));
    const obj = (events[1] as { object: KubeObject }).object;
    expect(obj.kind).toBe('PartialObjectMetadata');
    expect(obj.metadata?.name).toBe('meta-only');
    expect(obj.data).toBeUndefined();
  });

  it('keeps a Store exactly equal to the server through 1,000 random creates, updates and deletes', async () => {
    const listWatch = startReflector({ labelSelector: 'chaos=yes', initialList: 'ListWatch' });
    const streaming = startReflector({ labelSelector: 'chaos=yes', initialList: 'StreamingList' });
    await Promise.all([listWatch.store.ready(), streaming.store.ready()]);
    const names = Array.from({ length: 60 }, (_, i) => `chaos-${i}`);
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const ops: Array<() => Promise<unknown>> = Array.from({ length: 1000 }, (_, i) => {
      const name = names[rand(names.length)]!;
      const kind = rand(3);
      return async () => {
        try {
          if (kind === 0) await api().create({ metadata: { name, labels: { chaos: 'yes' } }, data: { i: String(i) } });
          else if (kind === 1) await api().patch(name, { type: 'merge', body: { data: { i: String(i) } } });
          else await api().delete(name);
        } catch (err) {
          // Random operations collide: creating what exists, changing or deleting what does not.
          if (!(err instanceof ApiError && (err.isAlreadyExists() || err.isNotFound()))) throw err;
        }
      };
    });
    for (let i = 0; i < ops.length; i += 8) await Promise.all(ops.slice(i, i + 8).map((op) => op()));
    const truth = fingerprint((await api().list({ labelSelector: 'chaos=yes' })).items);
    await waitUntil('both stores to equal the server', () => {
      return JSON.stringify(fingerprint(listWatch.store.list())) === JSON.stringify(truth) &&
        JSON.stringify(fingerprint(streaming.store.list())) === JSON.stringify(truth);
    }, { timeoutMs: 20_000 });
    expect(fingerprint(listWatch.store.list())).toEqual(truth);
    expect(fingerprint(streaming.store.list())).toEqual(truth);
    await Promise.all([listWatch.stop(), streaming.stop()]);
    expect(listWatch.errors).toEqual([]);
    expect(streaming.errors).toEqual([]);
  });

  it('stops cleanly when its signal is aborted, also while waiting for events', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const run = (async () => {
      for await (const ev of watcher(api(), { labelSelector: 'nothing=here', signal: ac.signal })) seen.push(ev.type);
    })();
    await waitUntil('the initial list', () => seen.includes('InitDone'));
    ac.abort();
    await run;
    expect(seen).toEqual(['Init', 'InitDone']);
  });
});
