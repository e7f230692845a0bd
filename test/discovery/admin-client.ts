// A Client for the local cluster's `admin` context, built by hand from the test kubeconfig (which is
// JSON) until the kubeconfig loader is available to tests.
import { readFileSync } from 'node:fs';
import { Client } from '../../src/lib/client.js';
import type { ClientConfig } from '../../src/lib/config/types.js';
import type { RequestLogger } from '../../src/lib/http/request-log.js';
import { cluster } from '../helpers/cluster.js';

interface KubeconfigJson {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
}

const fromBase64 = (data: string | undefined): string => Buffer.from(data ?? '', 'base64').toString('utf8');

/** The `admin` context as a ClientConfig: client certificate, the cluster CA, namespace `default`. */
export function adminConfig(): ClientConfig {
  const kc = JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as KubeconfigJson;
  const ctx = kc.contexts.find((c) => c.name === 'admin')?.context;
  const clusterEntry = kc.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = kc.users.find((u) => u.name === ctx?.user)?.user;
  if (!ctx || !clusterEntry || !user) throw new Error('the test kubeconfig has no complete admin context');
  return {
    server: clusterEntry.server,
    tls: {
      ca: fromBase64(clusterEntry['certificate-authority-data']),
      cert: fromBase64(user['client-certificate-data']),
      key: fromBase64(user['client-key-data']),
    },
    auth: { type: 'none', credentials: async () => ({}), invalidate: () => false },
    namespace: 'default',
  };
}

/** Every request a client made, as `METHOD path?query`, and the Accept header each one sent. */
export interface RequestRecorder extends RequestLogger {
  readonly requests: string[];
  readonly accepts: string[];
  clear(): void;
}

/** A logger that records each request's method, path (with query) and Accept header. */
export function recordRequests(): RequestRecorder {
  const requests: string[] = [];
  const accepts: string[] = [];
  return {
    requests,
    accepts,
    clear: () => {
      requests.splice(0);
      accepts.splice(0);
    },
    request: (method, url, headers) => {
      requests.push(`${method} ${url.pathname}${url.search}`);
      accepts.push(String(headers.accept ?? ''));
    },
    response: () => undefined,
  };
}

/** A Client for the admin context whose requests `recorder` sees. */
export function adminClient(recorder?: RequestRecorder): Client {
  return new Client(adminConfig(), recorder ? { logger: recorder } : {});
}
