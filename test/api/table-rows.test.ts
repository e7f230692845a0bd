// A live table: the watcher and Store over server-rendered Table rows.
import { describe, expect, it } from 'vitest';
import { TableRowsApi, type TableRowObject } from '../../src/lib/api/table-rows.js';
import { createStore, runReflector } from '../../src/lib/runtime/store.js';
import { watcher } from '../../src/lib/runtime/watcher.js';
import { configMaps } from '../../src/lib/types/resources.js';
import { kubectlOk, useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('tablerows');

describe('TableRowsApi', () => {
  it('keeps a Store of server-rendered rows, through list and watch, for both initial-list strategies', async () => {
    await kubectlOk(['create', 'configmap', 'first', '-n', ns.name, '--from-literal=a=1']);
    for (const initialList of ['ListWatch', 'StreamingList'] as const) {
      const api = new TableRowsApi(contextClient('admin'), configMaps, ns.name);
      const { store, writer } = createStore<TableRowObject>();
      const ac = new AbortController();
      const done = runReflector(writer, watcher(api, { signal: ac.signal, initialList }));
      try {
        await store.ready();
        expect(api.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
        const row = (name: string) => store.list().find((o) => o.metadata.name === name)?.row.cells;
        expect(row('first')?.slice(0, 2)).toEqual(['first', 1]);
        const name = `second-${initialList.toLowerCase()}`;
        await kubectlOk(['create', 'configmap', name, '-n', ns.name, '--from-literal=a=1', '--from-literal=b=2']);
        await waitUntil('the new row', () => row(name)?.[1] === 2);
        await kubectlOk(['delete', 'configmap', name, '-n', ns.name]);
        await waitUntil('the row to go', () => row(name) === undefined);
        expect(store.list().every((o) => o.columns.length === 3 && typeof o.metadata.uid === 'string')).toBe(true);
      } finally {
        ac.abort();
        await done;
      }
    }
  });
});
