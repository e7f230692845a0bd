/** TLS settings for one cluster, resolved to PEM text (files already read). */
export interface TlsOptions {
  /** PEM CA bundle to trust instead of the system roots. */
  ca?: string;
  /** PEM client certificate and key (static ones; exec plugins may supply others per request). */
  cert?: string;
  key?: string;
  /** `insecure-skip-tls-verify`: accept any server certificate. */
  insecureSkipVerify?: boolean;
  /** `tls-server-name`: SNI and the name the server certificate is checked against. */
  serverName?: string;
}

/** Credentials for one request, as an {@link Authenticator} produces them. */
export interface Credentials {
  /** Value of the `Authorization` header (`Bearer …` or `Basic …`). */
  authorization?: string;
  /** A client certificate and key (PEM) to present, e.g. from an exec credential plugin. */
  cert?: string;
  key?: string;
}

/**
 * A source of credentials: static token, token file, basic auth, exec plugin, OIDC, or none.
 * Implementations cache and refresh on their own; the transport calls `credentials()` for every
 * request and `invalidate()` after a 401.
 */
export interface Authenticator {
  /** A short name for logs: `none`, `token`, `token-file`, `basic`, `client-certificate`, `exec`, `oidc`. */
  readonly type: string;
  /** Credentials for the next request. May run a plugin or refresh a token; honours `signal`. */
  credentials(signal?: AbortSignal): Promise<Credentials>;
  /**
   * Forget cached credentials after the server answered 401. Returns true when fetching them
   * again may help (exec plugin, OIDC, token file), so the caller may retry once.
   */
  invalidate(): boolean;
}

/** Impersonation headers (`Impersonate-User`, one `Impersonate-Group` per group, `-Uid`, `-Extra-<key>`). */
export interface Impersonation {
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Everything the transport needs to talk to one cluster as one user. */
export interface ClientConfig {
  /** Base URL, `https://host:port[/path]`, without a trailing slash. */
  server: string;
  tls: TlsOptions;
  auth: Authenticator;
  /** `proxy-url` from the kubeconfig (http, https or socks5). When unset, HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply. */
  proxyUrl?: string;
  /** The namespace to use when a request names none: `-n`, then the context's, then `default`. */
  namespace: string;
  impersonate?: Impersonation;
  /** `disable-compression`: do not ask for gzip. */
  disableCompression?: boolean;
  /** Default per-request timeout in milliseconds (`--request-timeout`); 0 or undefined means none. */
  requestTimeoutMs?: number;
  /** Names of the context, cluster and user this came from, for messages and cache keys. */
  contextName?: string;
  clusterName?: string;
  userName?: string;
}
