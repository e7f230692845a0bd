// The public face of ktx's configuration: kubeconfig loading and writing, kubectl-style overrides,
// in-cluster configuration, and the authenticators a transport asks for credentials.
export type { Authenticator, ClientConfig, Credentials, Impersonation, TlsOptions } from './types.js';
export type {
  AuthProviderConfig,
  Cluster,
  Context,
  ExecConfig,
  ExecEnvVar,
  ExecInteractiveMode,
  KubeconfigFile,
  NamedCluster,
  NamedContext,
  NamedExtension,
  NamedUser,
  User,
} from './model.js';
export { EXEC_CLUSTER_EXTENSION } from './model.js';
export { Config, type ConfigSource } from './config.js';
export type { ConfigOverrides } from './overrides.js';
export { SERVICE_ACCOUNT_DIR, type ConfigEnvironment } from './environment.js';
export { Kubeconfig, loadKubeconfig, loadingRulesFor, mergeKubeconfigFiles, type EntryOrigins, type LoadingRules } from './kubeconfig.js';
export { parseKubeconfig } from './parse.js';
export { resolveKubeconfig, selectEntries, type ResolvedKubeconfig, type SelectedEntries } from './resolve.js';
export { inClusterConfig, inClusterNamespace, inClusterPossible } from './in-cluster.js';
export { parseRequestTimeout } from './duration.js';
export { defaultWriteTarget, setContextNamespace, setCurrentContext } from './write.js';
export { NoAuthenticator } from './auth/none.js';
export { ClientCertificateAuthenticator } from './auth/client-certificate.js';
export { BearerTokenAuthenticator } from './auth/token.js';
export { TokenFileAuthenticator, TOKEN_FILE_REFRESH_MS, type TokenFileOptions } from './auth/token-file.js';
export { BasicAuthenticator } from './auth/basic.js';
export { ExecAuthenticator, sharedExecAuthenticator, type ExecAuthenticatorOptions } from './auth/exec.js';
export type { ExecClusterInfo } from './auth/exec-credential.js';
export { OidcAuthenticator, sharedOidcAuthenticator, type OidcAuthenticatorOptions } from './auth/oidc.js';
export { authenticatorForUser, type AuthenticatorContext } from './auth/select.js';
export { mapClusterPaths, mapUserPaths, relativizeKubeconfigPath, resolveKubeconfigPath } from './entry-paths.js';
