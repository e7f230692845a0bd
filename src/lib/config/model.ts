/**
 * The kubeconfig file format (`apiVersion: v1`, `kind: Config`) as plain JSON objects, keyed exactly
 * as in the YAML. Every object keeps fields ktx does not know about, so a read-modify-write cycle
 * loses nothing.
 */

/** One `extensions` entry: `{name, extension}`; the extension is an arbitrary object. */
export interface NamedExtension {
  name: string;
  extension?: unknown;
  [field: string]: unknown;
}

/** `clusters[].cluster`: how to reach and trust one apiserver. */
export interface Cluster {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** Path to a PEM CA bundle; relative paths are relative to the kubeconfig file that defined it. */
  'certificate-authority'?: string;
  /** Base64 of a PEM CA bundle; wins over `certificate-authority`. */
  'certificate-authority-data'?: string;
  /** `http`, `https` or `socks5` proxy for this cluster. */
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: NamedExtension[] | null;
  [field: string]: unknown;
}

/** One `env` entry of an exec credential plugin. */
export interface ExecEnvVar {
  name: string;
  value: string;
}

/** `interactiveMode` of an exec credential plugin. */
export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** `users[].user.exec`: a client-go credential plugin (client.authentication.k8s.io). */
export interface ExecConfig {
  /** `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`. */
  apiVersion?: string;
  command?: string;
  args?: string[] | null;
  env?: ExecEnvVar[] | null;
  /** Printed when the command cannot be found. */
  installHint?: string;
  /** Pass the cluster (and its `client.authentication.k8s.io/exec` extension) in `KUBERNETES_EXEC_INFO`. */
  provideClusterInfo?: boolean;
  /** An {@link ExecInteractiveMode}; required for v1, while v1beta1 defaults to `IfAvailable`. */
  interactiveMode?: string;
  [field: string]: unknown;
}

/** `users[].user.auth-provider`: a legacy in-tree auth provider (only `oidc` still exists). */
export interface AuthProviderConfig {
  name: string;
  config?: Record<string, string> | null;
  [field: string]: unknown;
}

/** `users[].user`: who to be and how to prove it. */
export interface User {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  /** A file holding a bearer token; re-read periodically and preferred over `token`. */
  tokenFile?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[] | null;
  'as-user-extra'?: Record<string, string[]> | null;
  username?: string;
  password?: string;
  'auth-provider'?: AuthProviderConfig | null;
  exec?: ExecConfig | null;
  extensions?: NamedExtension[] | null;
  [field: string]: unknown;
}

/** `contexts[].context`: a (cluster, user, namespace) triple. */
export interface Context {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: NamedExtension[] | null;
  [field: string]: unknown;
}

/** A `clusters` list entry. */
export interface NamedCluster {
  name: string;
  cluster: Cluster;
  [field: string]: unknown;
}

/** A `users` list entry. */
export interface NamedUser {
  name: string;
  user: User;
  [field: string]: unknown;
}

/** A `contexts` list entry. */
export interface NamedContext {
  name: string;
  context: Context;
  [field: string]: unknown;
}

/** One kubeconfig document, normalised: the three lists are always arrays and every entry has its object. */
export interface KubeconfigFile {
  apiVersion?: string;
  kind?: string;
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  extensions?: NamedExtension[] | null;
  [field: string]: unknown;
}

/** The extension name whose value is handed to exec plugins as `spec.cluster.config`. */
export const EXEC_CLUSTER_EXTENSION = 'client.authentication.k8s.io/exec';
