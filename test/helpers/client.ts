// Clients for the local cluster's contexts, built from .cluster/kubeconfig.
import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '../../src/lib/client.js';
import type { Authenticator, ClientConfig } from '../../src/lib/config/types.js';
import { cluster } from './cluster.js';

interface RawKubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

export type ContextName = 'admin' | 'token-user' | 'limited';

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** Static credentials for the test contexts (the kubeconfig loader has its own tests). */
function staticAuth(token?: string): Authenticator {
  return {
    type: token ? 'token' : 'client-certificate',
    credentials: async () => (token ? { authorization: `Bearer ${token}` } : {}),
    invalidate: () => false,
  };
}

/** The ClientConfig for one of the local cluster's contexts; `patch` overrides fields. */
export function contextConfig(context: ContextName = 'admin', patch: Partial<ClientConfig> = {}): ClientConfig {
  const kc = JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as RawKubeconfig;
  const c = kc.clusters[0]!.cluster;
  const u = kc.users.find((x) => x.name === context)!.user;
  return {
    server: c.server,
    tls: {
      ca: b64(c['certificate-authority-data']),
      ...(u['client-certificate-data'] ? { cert: b64(u['client-certificate-data']), key: b64(u['client-key-data']!) } : {}),
    },
    auth: staticAuth(u.token),
    namespace: 'default',
    contextName: context,
    ...patch,
  };
}

export function contextClient(context: ContextName = 'admin', options: ClientOptions = {}, patch: Partial<ClientConfig> = {}): Client {
  return new Client(contextConfig(context, patch), options);
}
