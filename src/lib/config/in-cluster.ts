import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { BearerTokenAuthenticator } from './auth/token.js';
import { TokenFileAuthenticator } from './auth/token-file.js';
import { parseRequestTimeout } from './duration.js';
import { resolveEnvironment, type ConfigEnvironment, type ResolvedEnvironment } from './environment.js';
import { readTextFile } from './files.js';
import type { ConfigOverrides } from './overrides.js';
import { normaliseServer } from './resolve.js';
import type { ClientConfig, TlsOptions } from './types.js';

/** The service-account files a pod gets, under {@link ResolvedEnvironment.serviceAccountDir}. */
export function serviceAccountFiles(environment: ResolvedEnvironment): { token: string; ca: string; namespace: string } {
  const dir = environment.serviceAccountDir;
  return { token: join(dir, 'token'), ca: join(dir, 'ca.crt'), namespace: join(dir, 'namespace') };
}

/**
 * Whether in-cluster configuration can apply (client-go `inClusterClientConfig.Possible`):
 * `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set and the service-account token
 * file exists and is not a directory.
 */
export async function inClusterPossible(environment?: ConfigEnvironment | ResolvedEnvironment): Promise<boolean> {
  const env = resolveEnvironment(environment);
  if (!env.env.KUBERNETES_SERVICE_HOST || !env.env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return !(await stat(serviceAccountFiles(env).token)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The namespace of the pod we run in: `$POD_NAMESPACE`, then the service-account `namespace` file,
 * then `default`.
 */
export async function inClusterNamespace(environment?: ConfigEnvironment | ResolvedEnvironment): Promise<string> {
  const env = resolveEnvironment(environment);
  if (env.env.POD_NAMESPACE) return env.env.POD_NAMESPACE;
  try {
    const namespace = (await readTextFile(serviceAccountFiles(env).namespace)).trim();
    if (namespace) return namespace;
  } catch {
    // No namespace file: fall through to `default`, as client-go does.
  }
  return 'default';
}

/** `host:port` with IPv6 literals bracketed (Go's `net.JoinHostPort`). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Configuration for a client running in a pod (client-go `rest.InClusterConfig` plus kubectl's
 * overrides): `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the service-account CA
 * (`ca.crt`; system roots when unreadable) and token, which is re-read about every minute as the
 * kubelet rotates it. `--server`, `--token` and `--certificate-authority` replace their parts;
 * `-n` beats the pod's namespace. Fails with client-go's messages when the variables are missing
 * or the token cannot be read.
 */
export async function inClusterConfig(overrides: ConfigOverrides = {}, environment?: ConfigEnvironment | ResolvedEnvironment): Promise<ClientConfig> {
  const env = resolveEnvironment(environment);
  const host = env.env.KUBERNETES_SERVICE_HOST;
  const port = env.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ConfigError('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  }
  const files = serviceAccountFiles(env);
  const auth = overrides.token ? new BearerTokenAuthenticator(overrides.token) : await TokenFileAuthenticator.create(files.token, { now: env.now });

  const tls: TlsOptions = {};
  if (overrides.certificateAuthority) {
    try {
      tls.ca = await readTextFile(overrides.certificateAuthority);
    } catch (err) {
      throw new ConfigError((err as Error).message, { cause: err });
    }
  } else {
    tls.ca = await readTextFile(files.ca).catch(() => undefined);
    if (tls.ca === undefined) delete tls.ca;
  }

  const config: ClientConfig = {
    server: overrides.server ? normaliseServer(overrides.server) : `https://${joinHostPort(host, port)}`,
    tls,
    auth,
    namespace: overrides.namespace || (await inClusterNamespace(env)),
  };
  if (overrides.as) {
    config.impersonate = { user: overrides.as };
    if (overrides.asGroups?.length) config.impersonate.groups = [...overrides.asGroups];
    if (overrides.asUid) config.impersonate.uid = overrides.asUid;
  }
  if (overrides.requestTimeout !== undefined && overrides.requestTimeout !== '') {
    config.requestTimeoutMs = Math.max(0, parseRequestTimeout(overrides.requestTimeout));
  }
  if (overrides.disableCompression) config.disableCompression = true;
  return config;
}
