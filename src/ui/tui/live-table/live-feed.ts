import type { ApiResource } from '../../../lib/api/resource.js';
import { TableRowsApi, type TableRowObject } from '../../../lib/api/table-rows.js';
import type { Client } from '../../../lib/client.js';
import { createStore, runReflector } from '../../../lib/runtime/store.js';
import { watcher, type WatcherEvent } from '../../../lib/runtime/watcher.js';
import { ConnectionStatus } from './connection.js';
import { LiveRows } from './live-rows.js';

/** What a live table reads: the rows, the watch's connection state, and how to stop it. */
export interface LiveFeedHandle {
  rows: LiveRows;
  connection: ConnectionStatus;
  stop: AbortController;
  /** Settles once the watcher has stopped. */
  pump: Promise<void>;
  /**
   * Resolves when the first list answers (its first object, or its end); rejects with what failed
   * before that (the API or transport error, unwrapped). The feed itself keeps retrying either way:
   * `ktx get -w` fails as kubectl does, the explorer shows the error and waits.
   */
  firstList: Promise<void>;
}

/**
 * Starts the pipeline behind every live table: server-rendered Table rows → watcher → Store →
 * LiveRows. The watcher lists, watches, resumes, relists on 410 and backs off by itself; the
 * connection status only reports its state.
 */
export function startLiveFeed(opts: {
  client: Client;
  resource: ApiResource;
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}): LiveFeedHandle {
  const api = new TableRowsApi(opts.client, opts.resource, opts.namespace);
  const { store, writer } = createStore<TableRowObject>();
  const connection = new ConnectionStatus();
  const stop = new AbortController();
  let listed = false;
  let settleFirst!: { resolve: () => void; reject: (err: Error) => void };
  const firstList = new Promise<void>((resolve, reject) => (settleFirst = { resolve, reject }));
  firstList.catch(() => undefined);
  const events = watcher(api, {
    signal: stop.signal,
    ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
    ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
    onState: connection.onState,
    onError: (err) => {
      if (!listed) settleFirst.reject(err.cause instanceof Error ? err.cause : err);
      connection.onError(err);
    },
  });
  const pump = runReflector(writer, untilListed(events, () => {
    listed = true;
    settleFirst.resolve();
  }));
  return { rows: new LiveRows(store), connection, stop, pump, firstList };
}

/** Passes the watcher's events on, calling `onListed` once at the first list's first answer. */
async function* untilListed<K extends TableRowObject>(events: AsyncIterable<WatcherEvent<K>>, onListed: () => void): AsyncGenerator<WatcherEvent<K>> {
  let listed = false;
  for await (const ev of events) {
    if (!listed && (ev.type === 'InitApply' || ev.type === 'InitDone')) {
      listed = true;
      onListed();
    }
    yield ev;
  }
}
