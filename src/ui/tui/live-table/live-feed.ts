import type { ApiResource } from '../../../lib/api/resource.js';
import { TableRowsApi, type TableRowObject } from '../../../lib/api/table-rows.js';
import type { Client } from '../../../lib/client.js';
import { createStore, runReflector } from '../../../lib/runtime/store.js';
import { watcher } from '../../../lib/runtime/watcher.js';
import { ConnectionStatus } from './connection.js';
import { LiveRows } from './live-rows.js';

/** What a live table reads: the rows, the watch's connection state, and how to stop it. */
export interface LiveFeedHandle {
  rows: LiveRows;
  connection: ConnectionStatus;
  stop: AbortController;
  /** Settles once the watcher has stopped. */
  pump: Promise<void>;
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
  const pump = runReflector(
    writer,
    watcher(api, {
      signal: stop.signal,
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
      ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      onState: connection.onState,
      onError: connection.onError,
    }),
  );
  return { rows: new LiveRows(store), connection, stop, pump };
}
