import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/lib/api/resource.js';
import { createStore, type StoreChange } from '../../src/lib/runtime/store.js';

const obj = (name: string, rv: string, ns = 'default', labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, namespace: ns, resourceVersion: rv, labels },
});

describe('Store', () => {
  it('swaps a relist in atomically at InitDone and reports exactly what changed', async () => {
    const { store, writer } = createStore();
    const batches: string[][] = [];
    store.subscribe((changes: StoreChange<KubeObject>[]) => batches.push(changes.map((c) => `${c.type} ${c.object.metadata?.name}`)));
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: obj('a', '1') });
    writer.apply({ type: 'InitApply', object: obj('b', '1') });
    expect(store.size).toBe(0);
    expect(store.isReady).toBe(false);
    writer.apply({ type: 'InitDone' });
    await store.ready();
    expect(store.list().map((o) => o.metadata?.name).sort()).toEqual(['a', 'b']);
    writer.apply({ type: 'Apply', object: obj('c', '2') });
    writer.apply({ type: 'Delete', object: obj('a', '3') });
    // A relist that missed a deletion (b) and an update (c) while disconnected.
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: obj('c', '5') });
    writer.apply({ type: 'InitApply', object: obj('d', '5') });
    expect(store.get('b', 'default')).toBeDefined();
    writer.apply({ type: 'InitDone' });
    expect(store.list().map((o) => o.metadata?.name).sort()).toEqual(['c', 'd']);
    expect(batches).toEqual([['added a', 'added b'], ['added c'], ['deleted a'], ['updated c', 'added d', 'deleted b']]);
  });

  it('keeps namespace, label and custom indexes current', () => {
    const { store, writer } = createStore();
    store.addIndex('rv', (o) => [o.metadata?.resourceVersion ?? '']);
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: obj('a', '1', 'x', { app: 'web' }) });
    writer.apply({ type: 'InitApply', object: obj('b', '1', 'y', { app: 'db' }) });
    writer.apply({ type: 'InitDone' });
    expect(store.byIndex('namespace', 'x').map((o) => o.metadata?.name)).toEqual(['a']);
    expect(store.byIndex('label:app', 'db').map((o) => o.metadata?.name)).toEqual(['b']);
    writer.apply({ type: 'Apply', object: obj('b', '2', 'y', { app: 'web' }) });
    expect(store.byIndex('label:app', 'web').map((o) => o.metadata?.name).sort()).toEqual(['a', 'b']);
    expect(store.byIndex('label:app', 'db')).toEqual([]);
    expect(store.byIndex('rv', '2').map((o) => o.metadata?.name)).toEqual(['b']);
    writer.apply({ type: 'Delete', object: obj('a', '3', 'x') });
    expect(store.byIndex('namespace', 'x')).toEqual([]);
    expect(store.get('a', 'x')).toBeUndefined();
  });
});
