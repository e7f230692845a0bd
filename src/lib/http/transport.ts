import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { ClientConfig, Credentials } from '../config/types.js';
import { ApiError, ConfigError, TransportError, type Status, type TransportFailure } from '../errors.js';
import { backoffDelay, retryAfterMs } from './backoff.js';
import { proxyFromEnvironment } from './proxy.js';
import { openProxyTunnel, ProxyTunnelError } from './proxy-tunnel.js';
import { redactHeaders, type RequestLogger } from './request-log.js';
import { statusForBareResponse, type RequestSubject } from './status-messages.js';

/** Query values: arrays repeat the key (`command=a&command=b`); undefined values are left out. */
export type QueryValue = string | number | boolean | string[] | undefined;

/** One HTTP request to the apiserver, relative to the cluster's base URL. */
export interface HttpRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path such as `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A string or bytes body (replayable, so the request may be retried), or a stream. */
  body?: string | Uint8Array | Readable;
  contentType?: string;
  /** Defaults to `application/json`. */
  accept?: string;
  signal?: AbortSignal;
  /** Overrides the client's default timeout; 0 means none. For streams it bounds the wait for headers only. */
  timeoutMs?: number;
  /** A long-lived response (watch, log follow): no body timeout, the body is handed over unread. */
  stream?: boolean;
  /** Allow retries of this non-GET request (e.g. a DELETE or PUT that is safe to repeat). */
  idempotent?: boolean;
  /** What the request is about, for client-go-style messages on bare error responses. */
  subject?: RequestSubject;
}

/** A successful response. `body` is the decompressed byte stream; read it once. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Texts of the server's `Warning` headers (code 299), in order. */
  warnings: string[];
  body: Readable;
}

export interface TransportOptions {
  userAgent: string;
  /** Called with each server warning (kubectl prints them as `Warning: <text>` on stderr). */
  onWarning?: (text: string) => void;
  logger?: RequestLogger;
  /** Retries for idempotent requests on 429/503/504 and dropped connections (default 3). */
  maxRetries?: number;
  env?: NodeJS.ProcessEnv;
}

const pool = new Map<string, Dispatcher>();

/**
 * The one HTTP transport of a client: a pooled keep-alive undici dispatcher per cluster + TLS
 * identity + proxy (shared by every Client with the same settings), authentication on every
 * request (with one retry after a 401 when the authenticator can refresh), gzip, timeouts and
 * AbortSignals, retries with backoff for idempotent requests, server warnings, and request logs
 * that never show credentials.
 */
export class Transport {
  readonly base: URL;
  private readonly basePath: string;
  /** The proxy every connection to the server goes through: the kubeconfig's `proxy-url`, else the environment's (Go's rules); undefined for direct connections. */
  readonly proxy: string | undefined;
  private readonly retries: number;

  constructor(
    readonly config: ClientConfig,
    private readonly options: TransportOptions,
  ) {
    this.base = new URL(config.server);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.proxy = config.proxyUrl ?? proxyFromEnvironment(this.base, options.env ?? process.env);
    this.retries = options.maxRetries ?? 3;
  }

  /** The full URL for an API path and query. */
  url(path: string, query?: Record<string, QueryValue>): URL {
    const u = new URL(this.base.origin + this.basePath + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
    }
    return u;
  }

  /**
   * Sends a request; resolves with the response when the status is 2xx, otherwise throws an
   * {@link ApiError} built from the server's Status. Connection problems become {@link TransportError}.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const replayable = !(req.body instanceof Readable);
    const idempotent = replayable && (method === 'GET' || method === 'HEAD' || req.idempotent === true);
    let refreshedAuth = false;
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.once(req, method);
      } catch (err) {
        if (err instanceof TransportError && err.kind === 'reset' && idempotent && attempt < this.retries) {
          await sleep(backoffDelay(attempt), req.signal);
          continue;
        }
        throw err;
      }
      if (res.status < 300) return res;
      const text = await readText(res.body);
      const apiError = new ApiError(parseStatus(text, res.status, method, req.subject), res.status, res.warnings);
      if (res.status === 401 && !refreshedAuth && replayable && this.config.auth.invalidate()) {
        refreshedAuth = true;
        continue;
      }
      if ((res.status === 429 || res.status === 503 || res.status === 504) && idempotent && attempt < this.retries) {
        await sleep(retryAfterMs(res.headers['retry-after']) ?? backoffDelay(attempt), req.signal);
        continue;
      }
      throw apiError;
    }
  }

  private async once(req: HttpRequest, method: string): Promise<HttpResponse> {
    const started = Date.now();
    const url = this.url(req.path, req.query);
    const creds = await this.credentials(req.signal);
    const headers = this.headers(req, creds);
    const timeoutMs = req.timeoutMs ?? this.config.requestTimeoutMs ?? 0;
    // A stream's timeout bounds only the wait for response headers; a plain request's bounds it all.
    const totalTimeout = !req.stream && timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [req.signal, totalTimeout].filter((s): s is AbortSignal => !!s);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    this.options.logger?.request(method, url, redactHeaders(headers));
    let raw: Dispatcher.ResponseData;
    try {
      raw = await this.dispatcher(creds).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: req.body,
        signal,
        headersTimeout: req.stream ? timeoutMs || null : null,
        bodyTimeout: req.stream ? 0 : null,
      });
    } catch (err) {
      throw this.transportError(err, req.signal, timeoutMs);
    }
    const warnings = parseWarnings(raw.headers.warning);
    for (const w of warnings) this.options.onWarning?.(w);
    this.options.logger?.response(method, url, raw.statusCode, Date.now() - started, raw.headers);
    let body: Readable = raw.body;
    if (String(raw.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
      const gunzip = createGunzip();
      raw.body.on('error', (e) => gunzip.destroy(e));
      body = raw.body.pipe(gunzip);
    }
    return { status: raw.statusCode, headers: raw.headers, warnings, body };
  }

  private async credentials(signal?: AbortSignal): Promise<Credentials> {
    // Credentials never go to a plain-http server (kubectl sends none there either).
    if (this.base.protocol !== 'https:') return {};
    return this.config.auth.credentials(signal);
  }

  private headers(req: HttpRequest, creds: Credentials): Record<string, string | string[]> {
    const h: Record<string, string | string[]> = {
      'user-agent': this.options.userAgent,
      accept: req.accept ?? 'application/json',
    };
    if (!this.config.disableCompression) h['accept-encoding'] = 'gzip';
    if (req.contentType) h['content-type'] = req.contentType;
    if (creds.authorization) h.authorization = creds.authorization;
    const imp = this.config.impersonate;
    if (imp?.user) h['impersonate-user'] = imp.user;
    // Separate header lines per group: the apiserver reads each value as one group.
    if (imp?.groups?.length) h['impersonate-group'] = imp.groups;
    if (imp?.uid) h['impersonate-uid'] = imp.uid;
    for (const [k, v] of Object.entries(imp?.extra ?? {})) h[`impersonate-extra-${encodeURIComponent(k)}`] = v;
    for (const [k, v] of Object.entries(req.headers ?? {})) h[k.toLowerCase()] = v;
    return h;
  }

  /** The pooled dispatcher for this cluster, TLS identity and proxy. */
  dispatcher(creds: Credentials = {}): Dispatcher {
    const tls = this.config.tls;
    const cert = creds.cert ?? tls.cert;
    const key = creds.key ?? tls.key;
    const id = createHash('sha256')
      .update(JSON.stringify([this.base.origin, tls.ca ?? '', cert ?? '', key ?? '', !!tls.insecureSkipVerify, tls.serverName ?? '', this.proxy ?? '']))
      .digest('hex');
    let d = pool.get(id);
    if (!d) {
      const connect = {
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(cert && key ? { cert, key } : {}),
        rejectUnauthorized: !tls.insecureSkipVerify,
        ...(tls.serverName ? { servername: tls.serverName } : {}),
        keepAlive: true,
        keepAliveInitialDelay: 30_000,
      };
      d = this.proxy ? proxyDispatcher(this.proxy, connect) : new Agent({ connect, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
      pool.set(id, d);
    }
    return d;
  }

  private transportError(err: unknown, userSignal: AbortSignal | undefined, timeoutMs: number): TransportError {
    const server = this.base.origin + this.basePath;
    const e = err as { code?: string | number; name?: string; message?: string; cause?: { code?: string | number; message?: string } };
    // A DOMException (TimeoutError, AbortError) has a numeric code.
    const code = String(e.code ?? e.cause?.code ?? '');
    const detail = e.cause?.message ?? e.message ?? String(err);
    let kind: TransportFailure = 'other';
    let message = `Unable to connect to the server ${server}: ${detail}`;
    if (userSignal?.aborted) {
      kind = 'aborted';
      message = `the request to ${server} was aborted`;
    } else if (err instanceof ProxyTunnelError || e.cause instanceof ProxyTunnelError || (code.startsWith('UND_ERR_') && /proxy/i.test(detail))) {
      // Before the timeout case: undici reports a proxy's refusal as an AbortError.
      kind = 'proxy';
      message = `Unable to connect to the server ${server} through the proxy ${this.proxy ?? ''}: ${detail}`;
    } else if (e.name === 'TimeoutError' || e.name === 'AbortError' || code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) {
      kind = 'timeout';
      message = `the request to ${server} timed out${timeoutMs ? ` after ${timeoutMs / 1000}s` : ''}`;
    } else if (code === 'ECONNREFUSED') {
      kind = 'refused';
      message = `The connection to the server ${this.base.host} was refused - did you specify the right host or port?`;
    } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      kind = 'dns';
      message = `Unable to connect to the server ${server}: the host name ${this.base.hostname} does not resolve (${code})`;
    } else if (isTlsCode(code)) {
      kind = 'tls';
      message = `Unable to connect to the server ${server}: TLS verification failed: ${tlsExplanation(code, detail)}`;
    } else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
      kind = 'reset';
      message = `the connection to the server ${server} was closed unexpectedly (${code})`;
    }
    return new TransportError(kind, server, message, { cause: err });
  }
}

function proxyDispatcher(proxy: string, requestTls: ConnectionOptions): Dispatcher {
  const u = new URL(proxy);
  if (u.protocol === 'socks5:' || u.protocol === 'socks5h:') return socks5Dispatcher(proxy, requestTls);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`unsupported scheme "${u.protocol.replace(/:$/, '')}", must be http, https, or socks5`);
  }
  return new ProxyAgent({ uri: proxy, requestTls });
}

/**
 * A pooled agent whose connections are SOCKS5 tunnels (ktx's own client: undici's is experimental,
 * warns on stderr, and knows no `socks5h`), with TLS to the server started inside each tunnel.
 */
function socks5Dispatcher(proxy: string, requestTls: ConnectionOptions): Dispatcher {
  return new Agent({
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    connect: (options, callback) => {
      const https = options.protocol === 'https:';
      const port = Number(options.port || (https ? 443 : 80));
      openProxyTunnel(proxy, options.hostname, port, { timeoutMs: 30_000 }).then(
        (socket) => {
          if (!https) return callback(null, socket);
          const servername = requestTls.servername ?? (isIP(options.hostname) ? undefined : options.hostname);
          const secure = tlsConnect({ ...requestTls, socket, ...(servername ? { servername } : {}) });
          const failed = (err: Error) => callback(err, null);
          secure.once('error', failed);
          secure.once('secureConnect', () => {
            secure.off('error', failed);
            callback(null, secure);
          });
        },
        (err: Error) => callback(err, null),
      );
    },
  });
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN'
  );
}

function tlsExplanation(code: string, detail: string): string {
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `certificate signed by unknown authority (${code}); check the cluster's certificate-authority`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${detail}; set tls-server-name to a name in the server's certificate`;
    case 'CERT_HAS_EXPIRED':
      return `the server's certificate has expired (${code})`;
    default:
      return `${detail} (${code})`;
  }
}

/** Parses the `Warning` header values (`299 - "text"`) into their texts. */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const line of Array.isArray(header) ? header : [header]) {
    const re = /\s*(\d{3})\s+(\S+)\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)/g;
    let m: RegExpExecArray | null;
    let matched = false;
    while ((m = re.exec(line))) {
      matched = true;
      if (m[1] === '299') out.push(m[3]!.replace(/\\(.)/g, '$1'));
    }
    if (!matched && line.trim()) out.push(line.trim());
  }
  return out;
}

function parseStatus(text: string, httpStatus: number, method: string, subject: RequestSubject | undefined): Status {
  try {
    const obj = JSON.parse(text) as Status;
    if (obj && obj.kind === 'Status') return obj;
  } catch {
    /* not JSON */
  }
  return statusForBareResponse(httpStatus, text, subject ?? { verb: method });
}

/** Reads a whole body as UTF-8 text. */
export async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  // undici marks the connection reusable a moment after the body ends; a request sent before
  // that would open a second connection.
  await new Promise((r) => setImmediate(r));
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res, rej) => {
    if (signal?.aborted) return rej(signal.reason);
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), rej(signal.reason)), { once: true });
  });
}

/** Closes every pooled connection (for tests and short-lived programs that want a prompt exit). */
export async function closeAllConnections(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
