import type { Client } from '../client.js';
import { ApiError, KtxError } from '../errors.js';
import { readText } from '../http/transport.js';
import { splitAggregated, type DiscoveryFailure } from './aggregated.js';
import type { APIGroup, APIGroupDiscoveryList, APIGroupList, APIResourceList, APIVersions } from './wire.js';

/**
 * The `Accept` header kubectl sends to `/api` and `/apis`: aggregated discovery v2, then v2beta1,
 * then the legacy documents. The parameters must stay in `g, v, as` order for the apiserver.
 */
export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,' +
  'application/json';

/** client-go's discovery timeout when the client has none (`--request-timeout`). */
const DEFAULT_DISCOVERY_TIMEOUT_MS = 32_000;

/** What one round of `/api` + `/apis` returned. */
export interface LiveGroups {
  /** The core group first (when the server has one), then `/apis` groups in server order. */
  groups: APIGroup[];
  /** Every group-version's resources, present only when both answers were aggregated. */
  resources?: Map<string, APIResourceList>;
  /** Group-versions the server marked `Stale`. */
  failed: DiscoveryFailure[];
}

/**
 * Fetches `/api` and `/apis` (in parallel). With `aggregated`, asks for aggregated discovery and
 * gets every resource in these two requests; a server that answers with the legacy
 * `APIVersions`/`APIGroupList` instead leaves `resources` unset, so each group-version must be
 * fetched with {@link fetchGroupVersion}. A 404 on `/api` (some aggregated apiservers) means no
 * core group.
 */
export async function fetchGroups(client: Client, { aggregated }: { aggregated: boolean }): Promise<LiveGroups> {
  const accept = aggregated ? AGGREGATED_DISCOVERY_ACCEPT : 'application/json';
  const [core, apis] = await Promise.all([
    getDocument(client, '/api', accept).catch((err: unknown) => {
      if (err instanceof ApiError && err.isNotFound()) return undefined;
      throw err;
    }),
    getDocument(client, '/apis', accept),
  ]);
  const coreSplit = core && splitDocument(core);
  const apisSplit = splitDocument(apis);
  const groups = [...(coreSplit?.groups ?? []), ...apisSplit.groups];
  const failed = [...(coreSplit?.failed ?? []), ...apisSplit.failed];
  // As client-go: resources count only when neither answer was a legacy document.
  const coreResources = core ? coreSplit?.resources : new Map<string, APIResourceList>();
  if (!coreResources || !apisSplit.resources) return { groups, failed };
  return { groups, resources: new Map([...coreResources, ...apisSplit.resources]), failed };
}

/** Fetches one group-version's resources in the legacy format: `/api/v1` or `/apis/G/V`. */
export async function fetchGroupVersion(client: Client, groupVersion: string): Promise<APIResourceList> {
  const path = groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
  try {
    const doc = await getDocument(client, path, 'application/json');
    const list = doc.body as Partial<APIResourceList>;
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: list.resources ?? [] };
  } catch (err) {
    // client-go tolerates a missing core/v1 as an empty list.
    if (groupVersion === 'v1' && err instanceof ApiError && err.isNotFound()) {
      return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: [] };
    }
    throw err;
  }
}

interface Document {
  contentType: string;
  body: unknown;
}

async function getDocument(client: Client, path: string, accept: string): Promise<Document> {
  const timeoutMs = client.config.requestTimeoutMs || DEFAULT_DISCOVERY_TIMEOUT_MS;
  const res = await client.request({ path, accept, query: { timeout: goDuration(timeoutMs) }, timeoutMs });
  const text = await readText(res.body);
  let body: unknown = {};
  try {
    if (text) body = JSON.parse(text);
  } catch (err) {
    throw new KtxError(`the server answered ${path} with a document that is not JSON: ${(err as Error).message}`);
  }
  return { contentType: String(res.headers['content-type'] ?? ''), body };
}

/** Groups (and, for aggregated answers, resources) of a `/api` or `/apis` answer. */
function splitDocument(doc: Document): { groups: APIGroup[]; resources?: Map<string, APIResourceList>; failed: DiscoveryFailure[] } {
  if (isAggregated(doc)) return splitAggregated(doc.body as APIGroupDiscoveryList);
  const body = doc.body as Partial<APIVersions> & Partial<APIGroupList>;
  if (body.kind === 'APIVersions' || Array.isArray(body.versions)) {
    const versions = (body.versions ?? []).map((v) => ({ groupVersion: v, version: v }));
    const first = versions[0];
    return { groups: first ? [{ name: '', versions, preferredVersion: first }] : [], failed: [] };
  }
  return { groups: body.groups ?? [], failed: [] };
}

/**
 * True for an `APIGroupDiscoveryList`: decided by the `Content-Type` parameters like client-go
 * (in any order), or by the body's kind when a proxy dropped the parameters.
 */
function isAggregated(doc: Document): boolean {
  const [base = '', ...params] = doc.contentType.split(';').map((p) => p.trim());
  const p = new Map(params.map((kv) => [kv.slice(0, kv.indexOf('=')).toLowerCase(), kv.slice(kv.indexOf('=') + 1)]));
  if (base.toLowerCase() === 'application/json' && p.get('g') === 'apidiscovery.k8s.io' && p.get('as') === 'APIGroupDiscoveryList') {
    return p.get('v') === 'v2' || p.get('v') === 'v2beta1';
  }
  return (doc.body as { kind?: unknown } | null)?.kind === 'APIGroupDiscoveryList';
}

/** A timeout in Go's duration syntax for the `timeout` query parameter (`32s`, `1500ms`). */
function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
