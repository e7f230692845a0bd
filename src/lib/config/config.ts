import { resolveEnvironment, type ConfigEnvironment } from './environment.js';
import { inClusterConfig, inClusterNamespace, inClusterPossible } from './in-cluster.js';
import { loadKubeconfig, type Kubeconfig } from './kubeconfig.js';
import type { ConfigOverrides } from './overrides.js';
import { resolveKubeconfig } from './resolve.js';
import type { Authenticator, ClientConfig, Impersonation, TlsOptions } from './types.js';

/** Where a {@link Config} came from. */
export type ConfigSource = 'kubeconfig' | 'in-cluster';

/**
 * Everything needed to talk to one cluster as one user: the resolved form of a kubeconfig context
 * (or of a pod's service account) plus kubectl's flags. This is what ktx's client is built from;
 * build one with {@link Config.load} (what kubectl does), {@link Config.fromKubeconfig} or
 * {@link Config.inCluster}, or construct one directly.
 */
export class Config implements ClientConfig {
  server: string;
  tls: TlsOptions;
  auth: Authenticator;
  proxyUrl?: string;
  namespace: string;
  impersonate?: Impersonation;
  disableCompression?: boolean;
  requestTimeoutMs?: number;
  contextName?: string;
  clusterName?: string;
  userName?: string;
  /** Whether this came from a kubeconfig (or kubectl's built-in default) or from the pod's service account. */
  readonly source: ConfigSource;
  /** The kubeconfig it was resolved from, when it came from one. */
  readonly kubeconfig?: Kubeconfig;

  constructor(init: ClientConfig, origin: { source?: ConfigSource; kubeconfig?: Kubeconfig } = {}) {
    this.server = init.server;
    this.tls = init.tls;
    this.auth = init.auth;
    this.namespace = init.namespace;
    if (init.proxyUrl !== undefined) this.proxyUrl = init.proxyUrl;
    if (init.impersonate !== undefined) this.impersonate = init.impersonate;
    if (init.disableCompression !== undefined) this.disableCompression = init.disableCompression;
    if (init.requestTimeoutMs !== undefined) this.requestTimeoutMs = init.requestTimeoutMs;
    if (init.contextName !== undefined) this.contextName = init.contextName;
    if (init.clusterName !== undefined) this.clusterName = init.clusterName;
    if (init.userName !== undefined) this.userName = init.userName;
    this.source = origin.source ?? 'kubeconfig';
    if (origin.kubeconfig) this.kubeconfig = origin.kubeconfig;
  }

  /**
   * The configuration kubectl would use for these flags: the kubeconfig (`--kubeconfig`, else
   * `KUBECONFIG`, else `~/.kube/config`) resolved for the chosen context; when that selects no
   * server or credentials at all and the process runs in a pod, the in-cluster configuration;
   * otherwise kubectl's default `http://localhost:8080`. Running in a pod, a context without a
   * namespace uses the pod's namespace, as kubectl does.
   */
  static async load(overrides: ConfigOverrides = {}, environment?: ConfigEnvironment): Promise<Config> {
    const env = resolveEnvironment(environment);
    const kubeconfig = await loadKubeconfig({ kubeconfig: overrides.kubeconfig }, env);
    const resolved = await resolveKubeconfig(kubeconfig, overrides, env);
    if (!(await inClusterPossible(env))) return new Config(resolved.config, { kubeconfig });
    if (resolved.isDefault) return new Config(await inClusterConfig(overrides, env), { source: 'in-cluster' });
    if (!overrides.namespace && !resolved.entries.context.namespace) resolved.config.namespace = await inClusterNamespace(env);
    return new Config(resolved.config, { kubeconfig });
  }

  /** The configuration for an already loaded kubeconfig and kubectl-style overrides (no in-cluster fallback). */
  static async fromKubeconfig(kubeconfig: Kubeconfig, overrides: ConfigOverrides = {}, environment?: ConfigEnvironment): Promise<Config> {
    const resolved = await resolveKubeconfig(kubeconfig, overrides, environment);
    return new Config(resolved.config, { kubeconfig });
  }

  /** The pod's service-account configuration; see `inClusterConfig`. */
  static async inCluster(overrides: ConfigOverrides = {}, environment?: ConfigEnvironment): Promise<Config> {
    return new Config(await inClusterConfig(overrides, environment), { source: 'in-cluster' });
  }
}
