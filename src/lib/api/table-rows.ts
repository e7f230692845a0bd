import type { Client } from '../client.js';
import { Api } from './api.js';
import type { ListParams, WatchParams } from './params.js';
import type { ApiResource, KubeObject, ObjectList } from './resource.js';
import { TABLE_ACCEPT, type Table, type TableColumnDefinition, type TableRow } from './table.js';
import { decodeWatchStream, type WatchEvent } from './watch-decoder.js';
import type { HttpRequest } from '../http/transport.js';

/**
 * One row of a server-side Table as an object the runtime can key and store: `metadata` is the
 * row's object metadata (uid, name, namespace, resourceVersion, creationTimestamp, labels), `row`
 * the rendered cells, `columns` the Table's column definitions at the time.
 */
export interface TableRowObject extends KubeObject {
  metadata: NonNullable<KubeObject['metadata']>;
  row: TableRow;
  columns: TableColumnDefinition[];
}

/**
 * An Api whose list and watch return server-rendered Table rows instead of objects (kubectl's
 * `get` and `get -w` columns, including CRD printer columns), so a watcher and Store can keep a
 * live table. Watch events carry column definitions only in the first event; later rows reuse them.
 */
export class TableRowsApi extends Api<TableRowObject> {
  private columns: TableColumnDefinition[] = [];

  constructor(client: Client, resource: ApiResource, namespace?: string) {
    super(client, resource as ApiResource<TableRowObject>, namespace);
  }

  /** The column definitions of the latest list or watch event. */
  get columnDefinitions(): TableColumnDefinition[] {
    return this.columns;
  }

  override async list(p: ListParams = {}): Promise<ObjectList<TableRowObject>> {
    const table = await this.listTable(p);
    if (table.columnDefinitions?.length) this.columns = table.columnDefinitions;
    return { apiVersion: 'meta.k8s.io/v1', kind: 'TableList', metadata: table.metadata ?? {}, items: table.rows.map((r) => this.toObject(r)) };
  }

  override watchRequest(p: WatchParams = {}): HttpRequest {
    return { ...super.watchRequest(p), accept: TABLE_ACCEPT };
  }

  override async *decodeWatchEvents(body: AsyncIterable<Uint8Array | string>, onUndecodable?: (line: string, error: unknown) => void): AsyncGenerator<WatchEvent<TableRowObject>> {
    for await (const ev of decodeWatchStream<Table>(body, onUndecodable)) {
      if (ev.type === 'ERROR') {
        yield ev;
        continue;
      }
      const table = ev.object;
      if (table.kind !== 'Table') {
        // Bookmarks arrive as plain objects carrying only a resourceVersion.
        yield { type: ev.type, object: { metadata: (table as unknown as KubeObject).metadata ?? {}, row: { cells: [] }, columns: this.columns } };
        continue;
      }
      if (table.columnDefinitions?.length) this.columns = table.columnDefinitions;
      for (const row of table.rows ?? []) yield { type: ev.type, object: this.toObject(row, table.metadata?.resourceVersion) };
    }
  }

  private toObject(row: TableRow, resourceVersion?: string): TableRowObject {
    const meta = { ...(row.object?.metadata ?? {}) };
    if (!meta.resourceVersion && resourceVersion) meta.resourceVersion = resourceVersion;
    return { metadata: meta, row, columns: this.columns };
  }
}
