import type { Readable } from 'node:stream';
import { Config } from './config/config.js';
import type { ConfigOverrides } from './config/overrides.js';
import type { ClientConfig } from './config/types.js';
import { readText, Transport, type HttpRequest, type HttpResponse, type TransportOptions } from './http/transport.js';
import type { RequestLogger } from './http/request-log.js';
import { KTX_LIB_VERSION } from './version.js';

/** Options for a {@link Client}. */
export interface ClientOptions {
  /** Sent as `User-Agent`; defaults to `ktx/<version> (<platform>/<arch>)`. */
  userAgent?: string;
  /** Receives the server's `Warning` header texts (kubectl prints them as `Warning: …`). */
  onWarning?: (text: string) => void;
  /** Request logging for `-v 6` and above; never sees credentials. */
  logger?: RequestLogger;
  /** Retries for idempotent requests on 429/503/504 and dropped connections (default 3). */
  maxRetries?: number;
}

/**
 * A connection to one cluster as one user: the pooled HTTP transport plus the resolved
 * configuration. Cheap to create; clients with the same cluster, TLS identity and proxy share
 * their keep-alive connections. Every method takes an AbortSignal through its request.
 *
 * Responses are plain JSON: no classes, no Date conversion, unknown fields kept.
 */
export class Client {
  private readonly transport: Transport;
  private readonly logger: RequestLogger | undefined;

  constructor(
    readonly config: ClientConfig,
    options: ClientOptions = {},
  ) {
    const transportOptions: TransportOptions = {
      userAgent: options.userAgent ?? `ktx/${KTX_LIB_VERSION} (${process.platform}/${process.arch})`,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    };
    this.transport = new Transport(config, transportOptions);
    this.logger = options.logger;
  }

  /**
   * A client for the configuration kubectl would use: the kubeconfig (`KUBECONFIG`, or
   * `~/.kube/config`) with the given overrides, else the in-cluster service account.
   */
  static async infer(overrides: ConfigOverrides = {}, options: ClientOptions = {}): Promise<Client> {
    return new Client(await Config.load(overrides), options);
  }

  /** The namespace requests use when none is given (`-n`, the context's, or `default`). */
  get defaultNamespace(): string {
    return this.config.namespace;
  }

  /** The full URL of an API path, e.g. for websocket upgrades. */
  url(path: string, query?: HttpRequest['query']): URL {
    return this.transport.url(path, query);
  }

  /**
   * Sends a request and returns the response with its body unread. Non-2xx answers throw an
   * `ApiError` (with the server's Status); connection failures throw a `TransportError`.
   */
  request(req: HttpRequest): Promise<HttpResponse> {
    return this.transport.request(req);
  }

  /** Sends a request and parses the JSON response body. */
  async json<T>(req: HttpRequest): Promise<T> {
    const res = await this.transport.request(req);
    const text = await readText(res.body);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a request and returns the response body as text. */
  async text(req: HttpRequest): Promise<string> {
    const res = await this.transport.request(req);
    return readText(res.body);
  }

  /** Sends a long-lived request (watch, log follow): no body timeout; the caller consumes the stream. */
  async stream(req: HttpRequest): Promise<Readable> {
    const res = await this.transport.request({ ...req, stream: true });
    return res.body;
  }

  /**
   * What a websocket upgrade (exec, attach, port-forward) needs to connect with the same
   * server, TLS settings and credentials as REST calls.
   */
  async upgradeOptions(signal?: AbortSignal): Promise<{
    headers: Record<string, string | string[]>;
    ca?: string;
    cert?: string;
    key?: string;
    rejectUnauthorized: boolean;
    servername?: string;
    /** The client's request logger (`-v`), for the upgrade request and its response. */
    logger?: RequestLogger;
    /** The proxy to tunnel the upgrade through, the one every other request uses. */
    proxy?: string;
  }> {
    const tls = this.config.tls;
    const creds = this.transport.base.protocol === 'https:' ? await this.config.auth.credentials(signal) : {};
    const headers: Record<string, string | string[]> = {};
    if (creds.authorization) headers.authorization = creds.authorization;
    const imp = this.config.impersonate;
    if (imp?.user) headers['impersonate-user'] = imp.user;
    if (imp?.groups?.length) headers['impersonate-group'] = imp.groups;
    if (imp?.uid) headers['impersonate-uid'] = imp.uid;
    const cert = creds.cert ?? tls.cert;
    const key = creds.key ?? tls.key;
    return {
      headers,
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(cert && key ? { cert, key } : {}),
      rejectUnauthorized: !tls.insecureSkipVerify,
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      ...(this.logger ? { logger: this.logger } : {}),
      ...(this.transport.proxy ? { proxy: this.transport.proxy } : {}),
    };
  }
}
