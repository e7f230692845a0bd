import { ConfigError } from '../errors.js';
import { authenticatorForUser } from './auth/select.js';
import { NoAuthenticator } from './auth/none.js';
import type { ExecClusterInfo } from './auth/exec-credential.js';
import { parseRequestTimeout } from './duration.js';
import { resolveEnvironment, type ConfigEnvironment, type ResolvedEnvironment } from './environment.js';
import { decodeBase64Strict, readTextFile } from './files.js';
import type { Kubeconfig } from './kubeconfig.js';
import { EXEC_CLUSTER_EXTENSION, type Cluster, type Context, type User } from './model.js';
import type { ConfigOverrides } from './overrides.js';
import type { ClientConfig, Impersonation, TlsOptions } from './types.js';
import { clusterProblems, userProblems } from './validate.js';

/** The server kubectl talks to when no context applies: `$KUBERNETES_MASTER`, else `http://localhost:8080`. */
export function defaultServer(environment: ResolvedEnvironment): string {
  return environment.env.KUBERNETES_MASTER || 'http://localhost:8080';
}

/**
 * The context, cluster and user kubectl would use, each merged with the flag overrides
 * (client-go `DirectClientConfig.getContext/getCluster/getAuthInfo`), plus the lookup failures that
 * surface only after validation.
 */
export interface SelectedEntries {
  contextName: string;
  clusterName: string;
  userName: string;
  context: Context;
  cluster: Cluster;
  user: User;
  /** `context was not found for specified context: X`, when the chosen context does not exist. */
  contextMissing: boolean;
  /** `auth info "X" does not exist`, when `--user` names a missing user. */
  userMissing: boolean;
}

function given<T>(value: T | undefined | null | '' | false): value is T {
  return value !== undefined && value !== null && value !== '' && value !== false && !(Array.isArray(value) && value.length === 0);
}

/**
 * Applies kubectl's flags to the kubeconfig: `--context` beats `current-context`; `--cluster` and
 * `--user` beat the context's; the cluster starts from the default server and takes every
 * non-empty field of the kubeconfig entry and then of the flags. `--insecure-skip-tls-verify` or
 * `--certificate-authority` replace the kubeconfig's CA and insecure setting together; `--server`
 * or `--tls-server-name` replace `tls-server-name`. A missing context or user yields empty entries.
 */
export function selectEntries(kubeconfig: Kubeconfig, overrides: ConfigOverrides, environment: ResolvedEnvironment): SelectedEntries {
  const contextName = overrides.context || kubeconfig.currentContext;
  const found = contextName ? kubeconfig.context(contextName) : undefined;
  const context: Context = structuredClone(found ?? {});
  if (overrides.cluster) context.cluster = overrides.cluster;
  if (overrides.user) context.user = overrides.user;
  if (overrides.namespace) context.namespace = overrides.namespace;

  const clusterName = context.cluster ?? '';
  const clusterEntry = kubeconfig.cluster(clusterName);
  let cluster: Cluster;
  if (!clusterEntry && overrides.cluster) {
    // client-go validates an empty cluster here, before flags or defaults, so the error names it.
    cluster = {};
  } else {
    cluster = { server: defaultServer(environment) };
    for (const [key, value] of Object.entries(structuredClone(clusterEntry ?? {}))) if (given(value)) cluster[key] = value;
    if (overrides.server) cluster.server = overrides.server;
    if (overrides.disableCompression) cluster['disable-compression'] = true;
    if (overrides.insecureSkipTlsVerify || overrides.certificateAuthority) {
      delete cluster['insecure-skip-tls-verify'];
      delete cluster['certificate-authority'];
      delete cluster['certificate-authority-data'];
      if (overrides.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
      if (overrides.certificateAuthority) cluster['certificate-authority'] = overrides.certificateAuthority;
    }
    if (overrides.tlsServerName || overrides.server) {
      delete cluster['tls-server-name'];
      if (overrides.tlsServerName) cluster['tls-server-name'] = overrides.tlsServerName;
    }
  }

  const userName = context.user ?? '';
  const userEntry = kubeconfig.user(userName);
  const user: User = structuredClone(userEntry ?? {});
  if (overrides.token) user.token = overrides.token;
  if (overrides.username) user.username = overrides.username;
  if (overrides.password) user.password = overrides.password;
  // A certificate or key given on the command line replaces the kubeconfig's, whichever form it has.
  if (overrides.clientCertificate) {
    user['client-certificate'] = overrides.clientCertificate;
    delete user['client-certificate-data'];
  }
  if (overrides.clientKey) {
    user['client-key'] = overrides.clientKey;
    delete user['client-key-data'];
  }
  if (overrides.as) user.as = overrides.as;
  if (overrides.asGroups && overrides.asGroups.length > 0) user['as-groups'] = [...overrides.asGroups];
  if (overrides.asUid) user['as-uid'] = overrides.asUid;

  return {
    contextName,
    clusterName,
    userName,
    context,
    cluster,
    user,
    contextMissing: contextName !== '' && !found,
    userMissing: Boolean(overrides.user) && !userEntry,
  };
}

/**
 * The apiserver base URL as client-go uses it: a value without a scheme is plain `http://` (the
 * TLS decision is taken before any CA is considered), query and fragment are dropped, and so are
 * trailing slashes.
 */
export function normaliseServer(server: string): string {
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(server) ? server : `http://${server}`;
  return withScheme.replace(/[?#].*$/, '').replace(/\/+$/, '');
}

function isHttps(server: string): boolean {
  return server.slice(0, 8).toLowerCase() === 'https://';
}

async function pemFrom(data: string | undefined, file: string | undefined): Promise<string | undefined> {
  if (data) return decodeBase64Strict(data).toString('utf8');
  if (file) {
    try {
      return await readTextFile(file);
    } catch (err) {
      throw new ConfigError((err as Error).message, { cause: err });
    }
  }
  return undefined;
}

async function tlsOptions(cluster: Cluster, user: User): Promise<TlsOptions> {
  const tls: TlsOptions = {};
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  if (insecure && (cluster['certificate-authority'] || cluster['certificate-authority-data'])) {
    throw new ConfigError('specifying a root certificates file with the insecure flag is not allowed');
  }
  const ca = await pemFrom(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca !== undefined) tls.ca = ca;
  if (insecure) tls.insecureSkipVerify = true;
  if (cluster['tls-server-name']) tls.serverName = cluster['tls-server-name'];
  const hasCert = user['client-certificate-data'] || user['client-certificate'];
  const hasKey = user['client-key-data'] || user['client-key'];
  if (hasCert && hasKey) {
    tls.cert = await pemFrom(user['client-certificate-data'], user['client-certificate']);
    tls.key = await pemFrom(user['client-key-data'], user['client-key']);
  }
  return tls;
}

function execClusterInfo(server: string, cluster: Cluster, tls: TlsOptions): ExecClusterInfo {
  const info: ExecClusterInfo = { server };
  if (tls.serverName) info['tls-server-name'] = tls.serverName;
  if (tls.insecureSkipVerify) info['insecure-skip-tls-verify'] = true;
  if (tls.ca) info['certificate-authority-data'] = Buffer.from(tls.ca, 'utf8').toString('base64');
  if (cluster['proxy-url']) info['proxy-url'] = cluster['proxy-url'];
  if (cluster['disable-compression']) info['disable-compression'] = true;
  const extension = cluster.extensions?.find((e) => e?.name === EXEC_CLUSTER_EXTENSION);
  if (extension && extension.extension !== undefined) info.config = extension.extension;
  return info;
}

function impersonation(user: User): Impersonation | undefined {
  if (!user.as) return undefined;
  const result: Impersonation = { user: user.as };
  if (user['as-groups']?.length) result.groups = [...user['as-groups']];
  if (user['as-uid']) result.uid = user['as-uid'];
  const extra = user['as-user-extra'];
  if (extra && Object.keys(extra).length > 0) result.extra = structuredClone(extra);
  return result;
}

/** The outcome of {@link resolveKubeconfig}: the client settings and how they were arrived at. */
export interface ResolvedKubeconfig {
  config: ClientConfig;
  entries: SelectedEntries;
  /**
   * True when nothing in the kubeconfig or the flags chose a server or credentials (kubectl's
   * "default config", `http://localhost:8080`); kubectl then prefers in-cluster configuration.
   */
  isDefault: boolean;
}

/**
 * Turns a merged kubeconfig and kubectl's flags into client settings with kubectl's rules and
 * error messages: an unknown context, incomplete or conflicting entries (see `validate.ts`),
 * insecure together with a CA, an unsupported `proxy-url`. Namespace: `-n`, the context's, then
 * `default`. An `http://` server gets no credentials and no TLS settings at all (no exec plugin
 * runs). All problems are {@link ConfigError}s.
 */
export async function resolveKubeconfig(kubeconfig: Kubeconfig, overrides: ConfigOverrides = {}, environment?: ConfigEnvironment | ResolvedEnvironment): Promise<ResolvedKubeconfig> {
  const env = resolveEnvironment(environment);
  const entries = selectEntries(kubeconfig, overrides, env);
  const problems: string[] = [];
  if (entries.contextMissing) problems.push(`context was not found for specified context: ${entries.contextName}`);
  problems.push(...(await userProblems(entries.userName, entries.user)));
  problems.push(...(await clusterProblems(entries.clusterName, entries.cluster)));
  if (problems.length > 0) throw new ConfigError(problems.join('\n'), { invalidConfiguration: entries.contextMissing });
  if (entries.userMissing) throw new ConfigError(`auth info "${entries.userName}" does not exist`);

  const { cluster, user, context } = entries;
  const server = normaliseServer(cluster.server ?? '');
  const config: ClientConfig = {
    server,
    tls: {},
    auth: new NoAuthenticator(),
    namespace: context.namespace || 'default',
    ...(entries.contextName ? { contextName: entries.contextName } : {}),
    ...(entries.clusterName ? { clusterName: entries.clusterName } : {}),
    ...(entries.userName ? { userName: entries.userName } : {}),
  };
  if (cluster['proxy-url']) config.proxyUrl = cluster['proxy-url'];
  if (cluster['disable-compression']) config.disableCompression = true;
  const impersonate = impersonation(user);
  if (impersonate) config.impersonate = impersonate;
  if (given(overrides.requestTimeout)) config.requestTimeoutMs = Math.max(0, parseRequestTimeout(overrides.requestTimeout));
  if (isHttps(server)) {
    config.tls = await tlsOptions(cluster, user);
    config.auth = await authenticatorForUser(user, {
      userName: entries.userName,
      server,
      execCluster: execClusterInfo(server, cluster, config.tls),
      environment: env,
    });
  }
  const isDefault =
    server === normaliseServer(defaultServer(env)) && !config.proxyUrl && Object.keys(config.tls).length === 0 && config.auth.type === 'none';
  return { config, entries, isDefault };
}
