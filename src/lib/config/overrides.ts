/**
 * What kubectl's global flags can override (client-go `ConfigOverrides`). Empty strings and empty
 * lists count as "not given", as they do in kubectl.
 */
export interface ConfigOverrides {
  /** `--kubeconfig`: read only this file. */
  kubeconfig?: string;
  /** `--context`: use this context instead of `current-context`. */
  context?: string;
  /** `--cluster`: use this cluster instead of the context's. */
  cluster?: string;
  /** `--user`: use this user instead of the context's. */
  user?: string;
  /** `-n/--namespace`: beats the context's namespace. */
  namespace?: string;
  /** `-s/--server`: the apiserver URL; also clears the kubeconfig's `tls-server-name`. */
  server?: string;
  /** `--tls-server-name`. */
  tlsServerName?: string;
  /** `--insecure-skip-tls-verify`: also clears the kubeconfig's CA. */
  insecureSkipTlsVerify?: boolean;
  /** `--certificate-authority`: a CA file; replaces the kubeconfig's CA and insecure setting. */
  certificateAuthority?: string;
  /** `--client-certificate`: replaces the user's client certificate. */
  clientCertificate?: string;
  /** `--client-key`: replaces the user's client key. */
  clientKey?: string;
  /** `--token`: a bearer token; a configured exec plugin is then not run. */
  token?: string;
  /** `--username` for basic auth. */
  username?: string;
  /** `--password` for basic auth. */
  password?: string;
  /** `--as`: impersonate this user. */
  as?: string;
  /** `--as-group` (repeatable): impersonate these groups. */
  asGroups?: string[];
  /** `--as-uid`: impersonate this UID. */
  asUid?: string;
  /** `--request-timeout`: `0` (none), `5s`, `1m`, or a bare number of seconds. */
  requestTimeout?: string | number;
  /** `--disable-compression`. */
  disableCompression?: boolean;
}
