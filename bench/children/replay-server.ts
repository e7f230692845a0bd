// A stand-in API server for the watch benchmarks: it serves the pods of the real (private) cluster,
// as captured at start, and then changes them at an exact rate — which a 2-core machine running
// etcd, the apiserver, the controllers and kwok cannot do with real writes. What it measures is
// the client: decoding, the store, the live table. Each change bumps the resourceVersion, stamps
// `bench.ktx.dev/ts` with the time the event is written, and (in Table rows) counts up RESTARTS, so
// changes to visible rows show on screen.
//
// Serves GET /api/v1/pods: lists (paged with limit/continue), JSON or Table (includeObject=Metadata)
// by the Accept header, and watches (with sendInitialEvents streaming lists and bookmarks).
// POST /bench/start?rate=R&seconds=S starts the changes; GET /bench/stats reports what was sent.
// Usage: node --import tsx bench/children/replay-server.ts   (KUBECONFIG: the real cluster)
// Prints `READY <port>`.
import { createServer, type ServerResponse } from 'node:http';
import { fromDist } from './dist.js';
import type * as ClientModule from '../../src/lib/client.js';
import type * as ConfigModule from '../../src/lib/config/config.js';

const { Client } = await fromDist<typeof ClientModule>('lib/client.js');
const { Config } = await fromDist<typeof ConfigModule>('lib/config/config.js');

interface Meta {
  name: string;
  namespace: string;
  resourceVersion: string;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}
interface PodObject {
  metadata: Meta;
  [k: string]: unknown;
}
interface TableRow {
  cells: unknown[];
  object: { metadata: Meta; [k: string]: unknown };
}
interface TableDoc {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string };
  columnDefinitions: Array<{ name: string }>;
  rows: TableRow[];
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const client = new Client(await Config.load());
const pods = await client.json<{ metadata: { resourceVersion: string }; items: PodObject[] }>({ path: '/api/v1/pods' });
const table = await client.json<TableDoc>({ path: '/api/v1/pods', accept: TABLE_ACCEPT, query: { includeObject: 'Metadata' } });
// Both captures in one order, so index i is the same pod in each.
const key = (m: Meta) => `${m.namespace}/${m.name}`;
const rowByKey = new Map(table.rows.map((r) => [key(r.object.metadata), r]));
const objects = pods.items.filter((p) => rowByKey.has(key(p.metadata)));
const rows = objects.map((p) => rowByKey.get(key(p.metadata))!);
const restartsColumn = table.columnDefinitions.findIndex((c) => c.name === 'Restarts');
let rv = Number(pods.metadata.resourceVersion);

interface Watch {
  res: ServerResponse;
  table: boolean;
  sentColumns: boolean;
}
const watches = new Set<Watch>();

function tableOf(rs: TableRow[], withColumns: boolean): TableDoc {
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(rv) }, columnDefinitions: withColumns ? table.columnDefinitions : [], rows: rs };
}

function eventLine(w: Watch, type: string, i: number): string {
  if (!w.table) return `${JSON.stringify({ type, object: { kind: 'Pod', apiVersion: 'v1', ...objects[i] } })}\n`;
  const doc = tableOf([rows[i]!], !w.sentColumns);
  w.sentColumns = true;
  return `${JSON.stringify({ type, object: doc })}\n`;
}

function bookmark(initialEnd: boolean): string {
  const metadata = { resourceVersion: String(rv), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) };
  return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata } })}\n`;
}

let sent = 0;
let churn: { rate: number; until: number; started: number; timer: NodeJS.Timeout } | undefined;

function change(seq: number): void {
  const i = seq % objects.length;
  const now = String(Date.now());
  rv++;
  for (const m of [objects[i]!.metadata, rows[i]!.object.metadata]) {
    m.resourceVersion = String(rv);
    m.annotations = { ...m.annotations, 'bench.ktx.dev/ts': now, 'bench.ktx.dev/seq': String(seq) };
  }
  if (restartsColumn >= 0) rows[i]!.cells[restartsColumn] = Number(rows[i]!.cells[restartsColumn] ?? 0) + 1;
}

function startChurn(rate: number, seconds: number): void {
  const started = performance.now();
  const until = started + seconds * 1000;
  const tick = () => {
    const now = performance.now();
    const due = Math.floor(((Math.min(now, until) - started) / 1000) * rate);
    const out = new Map<Watch, string[]>();
    for (; sent < due; sent++) {
      change(sent);
      for (const w of watches) {
        let lines = out.get(w);
        if (!lines) out.set(w, (lines = []));
        lines.push(eventLine(w, 'MODIFIED', sent % objects.length));
      }
    }
    for (const [w, lines] of out) w.res.write(lines.join(''));
    if (now >= until) {
      clearInterval(churn!.timer);
      return;
    }
  };
  churn = { rate, until, started, timer: setInterval(tick, 5) };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/bench/start' && req.method === 'POST') {
    startChurn(Number(url.searchParams.get('rate') ?? 1000), Number(url.searchParams.get('seconds') ?? 30));
    res.end('{}');
    return;
  }
  if (url.pathname === '/bench/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sent, seconds: churn ? (Math.min(performance.now(), churn.until) - churn.started) / 1000 : 0 }));
    return;
  }
  if (url.pathname !== '/api/v1/pods') {
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' }));
    return;
  }
  const asTable = (req.headers.accept ?? '').includes('as=Table');
  res.setHeader('content-type', 'application/json');
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
    const w: Watch = { res, table: asTable, sentColumns: false };
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    if (url.searchParams.get('sendInitialEvents') === 'true') {
      const chunk: string[] = [];
      for (let i = 0; i < objects.length; i++) {
        chunk.push(eventLine(w, 'ADDED', i));
        if (chunk.length === 500) res.write(chunk.splice(0).join(''));
      }
      chunk.push(bookmark(true));
      res.write(chunk.join(''));
    }
    watches.add(w);
    req.on('close', () => watches.delete(w));
    return;
  }
  const limit = Number(url.searchParams.get('limit') ?? 0) || objects.length;
  const from = Number(url.searchParams.get('continue') ?? 0);
  const to = Math.min(objects.length, from + limit);
  const metadata = { resourceVersion: String(rv), ...(to < objects.length ? { continue: String(to), remainingItemCount: objects.length - to } : {}) };
  if (asTable) {
    res.end(JSON.stringify({ ...tableOf(rows.slice(from, to), true), metadata }));
  } else {
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata, items: objects.slice(from, to).map((o) => ({ kind: 'Pod', apiVersion: 'v1', ...o })) }));
  }
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`READY ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
