// Opening a channel-protocol WebSocket to a pod subresource with the client's server, TLS and credentials.
import type { IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { Client } from '../client.js';
import { ApiError, TransportError, type Status } from '../errors.js';
import { openProxyTunnel } from '../http/proxy-tunnel.js';
import type { QueryValue } from '../http/transport.js';
import { redactHeaders } from '../http/request-log.js';
import { statusForBareResponse } from '../http/status-messages.js';
import { KTX_LIB_VERSION } from '../version.js';

/** Options of {@link openChannelSocket}. */
export interface ChannelSocketOptions {
  /**
   * Sub-protocols to offer, preferred first; the server's choice is `socket.protocol`. Names that
   * are not HTTP tokens (`SPDY/3.1+portforward.k8s.io` has a `/`, which `ws` refuses) are allowed.
   */
  protocols: string[];
  signal?: AbortSignal;
  /** Give up on the upgrade after this long (default 30 s). */
  handshakeTimeoutMs?: number;
  /** For error messages: the subresource's pod, e.g. `{ resource: 'pods', name }`. */
  subject?: { resource: string; name?: string };
  /**
   * Resolve with the socket paused (`resume()` it once its listeners are attached). Messages that
   * came with the server's 101 response are otherwise emitted before the caller's `await` returns,
   * and lost: the v4 port prefix did so behind a proxy that joins the two.
   */
  paused?: boolean;
}

/**
 * Opens a WebSocket to an API path (`/api/v1/namespaces/NS/pods/P/exec`, `/attach`,
 * `/portforward`) with a GET upgrade, exactly the REST client's server, CA, client certificate,
 * bearer token, impersonation headers and proxy (a CONNECT or SOCKS5 tunnel), and no compression
 * (`perMessageDeflate: false`; the apiserver does not negotiate it). Resolves once the server
 * switched protocols.
 *
 * A refused upgrade (the apiserver answers with a Status, e.g. 400 `container x is not valid for
 * pod y`, 403, 404) rejects with an ApiError; a failed connection with a TransportError.
 */
export async function openChannelSocket(client: Client, path: string, query: Record<string, QueryValue>, options: ChannelSocketOptions): Promise<WebSocket> {
  const { signal } = options;
  signal?.throwIfAborted();
  const upgrade = await client.upgradeOptions(signal);
  const url = client.url(path, query);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const server = client.config.server;
  // ws accepts only HTTP tokens as sub-protocols (RFC 6455 §4.1); Kubernetes' tunnel protocol has
  // a `/`. Such offers go out as a header of our own, and the answer is checked here instead.
  const ownProtocols = options.protocols.some((p) => !TOKEN.test(p));
  const headers: Record<string, string | string[]> = {
    'user-agent': `ktx/${KTX_LIB_VERSION} (${process.platform}/${process.arch})`,
    ...upgrade.headers,
    ...(ownProtocols ? { 'sec-websocket-protocol': options.protocols.join(', ') } : {}),
  };
  const { logger } = upgrade;
  const httpUrl = new URL(url.href.replace(/^ws/, 'http'));
  const started = Date.now();
  logger?.request('GET', httpUrl, redactHeaders({ ...headers, ...(ownProtocols ? {} : { 'sec-websocket-protocol': options.protocols.join(', ') }) }));
  const secure = url.protocol === 'wss:';
  const tunnel = upgrade.proxy ? await tunnelThrough(upgrade.proxy, url, server, options) : undefined;
  const ws = new WebSocket(url, ownProtocols ? [] : options.protocols, {
    headers: headers as Record<string, string>,
    ...(upgrade.ca ? { ca: upgrade.ca } : {}),
    ...(upgrade.cert ? { cert: upgrade.cert } : {}),
    ...(upgrade.key ? { key: upgrade.key } : {}),
    ...(upgrade.servername ? { servername: upgrade.servername } : {}),
    rejectUnauthorized: upgrade.rejectUnauthorized,
    perMessageDeflate: false,
    followRedirects: false,
    ...(secure ? { generateMask: zeroMask, createConnection: tlsConnector(client, upgrade, tunnel) as never } : {}),
    ...(!secure && tunnel ? { createConnection: (() => tunnel) as never } : {}),
    handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
  });
  ws.binaryType = 'nodebuffer';
  return new Promise<WebSocket>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      ws.off('open', onOpen);
      ws.off('unexpected-response', onResponse);
      ws.off('upgrade', onUpgrade);
      if (err) {
        // Keep a listener: terminate() during the handshake emits an error of its own.
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      } else {
        ws.off('error', onError);
        resolve(ws);
      }
    };
    const onOpen = () => {
      if (options.paused) ws.pause();
      finish();
    };
    const onUpgrade = (res: IncomingMessage) => {
      const chosen = res.headers['sec-websocket-protocol'];
      // Hidden from ws, which would refuse any answer to an offer it did not make.
      delete res.headers['sec-websocket-protocol'];
      if (chosen === undefined || !options.protocols.includes(chosen)) {
        finish(connectError(new Error(chosen === undefined ? 'Server sent no subprotocol' : 'Server sent an invalid subprotocol'), server));
        return;
      }
      Object.defineProperty(ws, 'protocol', { value: chosen, enumerable: true });
    };
    // Logged first: onUpgrade hides the sub-protocol from ws.
    if (logger) ws.once('upgrade', (res: IncomingMessage) => logger.response('GET', httpUrl, res.statusCode ?? 101, Date.now() - started, { ...res.headers }));
    if (ownProtocols) ws.once('upgrade', onUpgrade);
    const onError = (err: Error) => finish(connectError(err, server));
    const onAbort = () => finish(new TransportError('aborted', server, `the request to ${server} was aborted`, { cause: signal?.reason }));
    const onResponse = (_req: unknown, res: IncomingMessage) => {
      logger?.response('GET', httpUrl, res.statusCode ?? 0, Date.now() - started, res.headers);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish(connectError(err, server)));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        finish(new ApiError(statusFromBody(Buffer.concat(chunks).toString('utf8'), code, options.subject), code));
      });
    };
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onResponse);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The TCP tunnel to the server through the client's proxy, its failures in the transport's words. */
async function tunnelThrough(proxy: string, url: URL, server: string, options: ChannelSocketOptions): Promise<Socket> {
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  try {
    return await openProxyTunnel(proxy, url.hostname.replace(/^\[|\]$/g, ''), port, {
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.handshakeTimeoutMs ?? 30_000,
    });
  } catch (err) {
    if (options.signal?.aborted) throw new TransportError('aborted', server, `the request to ${server} was aborted`, { cause: options.signal.reason });
    throw new TransportError('proxy', server, `Unable to connect to the server ${server} through the proxy ${proxy}: ${(err as Error).message}`, { cause: err });
  }
}

/** An HTTP token (RFC 7230 §3.2.6), as ws requires of sub-protocols. */
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`|a-z~]+$/;

type UpgradeOptions = Awaited<ReturnType<Client['upgradeOptions']>>;

/** What one Client's WebSockets share: the parsed CA and client certificate, and the last TLS session. */
interface TlsReuse {
  material: string;
  context: SecureContext;
  session?: Buffer;
}
const tlsReuse = new WeakMap<Client, TlsReuse>();

/**
 * Opens the TLS connection of an upgrade like `ws` does, but with the Client's secure context
 * built once (not from the PEM strings for every connection) and resuming its last TLS session,
 * as Node's https.Agent does for ordinary requests: a port-forward opens one WebSocket per local
 * connection, and full handshakes were most of the client's time for each. A certificate change
 * (e.g. from an exec plugin) starts over with a new context and no session.
 */
function tlsConnector(client: Client, upgrade: UpgradeOptions, tunnel?: Socket): (options: ConnectionOptions & { path?: string; host?: string }) => TLSSocket {
  const material = [upgrade.ca ?? '', upgrade.cert ?? '', upgrade.key ?? ''].join('\0');
  let reuse = tlsReuse.get(client);
  if (reuse?.material !== material) {
    reuse = {
      material,
      context: createSecureContext({ ...(upgrade.ca ? { ca: upgrade.ca } : {}), ...(upgrade.cert && upgrade.key ? { cert: upgrade.cert, key: upgrade.key } : {}) }),
    };
    tlsReuse.set(client, reuse);
  }
  const current = reuse;
  return (options) => {
    const servername = options.servername ?? (isIP(options.host ?? '') ? '' : options.host);
    const socket = tlsConnect({
      ...options,
      path: undefined,
      ...(servername !== undefined ? { servername } : {}),
      ...(tunnel ? { socket: tunnel } : {}),
      secureContext: current.context,
      ...(current.session ? { session: current.session } : {}),
    });
    socket.on('session', (session: Buffer) => (current.session = session));
    return socket;
  };
}

/**
 * The masking key of every frame sent over TLS: zero, which `ws` recognises and then skips the
 * XOR (a JavaScript loop over every byte sent, the largest cost of a port-forward upload; ws's
 * native `bufferutil` is not used, ktx has no native dependencies).
 *
 * RFC 6455 §5.3 has clients mask with an unpredictable key so that a hostile script (in a
 * browser) cannot choose the bytes that appear on the wire and make an intermediary that does
 * not understand WebSocket read them as HTTP, e.g. to poison its cache (§10.3). Inside TLS no
 * intermediary sees those bytes, only ciphertext, so the mask protects nothing there; a TLS-
 * terminating proxy has to understand the Upgrade it forwards. Servers do not check the key (the
 * apiserver and kubelet unmask with whatever key the frame carries). Plain `ws://` keeps random
 * keys, where the reasoning of §10.3 applies.
 */
function zeroMask(mask: Buffer): void {
  mask.fill(0);
}

function statusFromBody(body: string, code: number, subject: ChannelSocketOptions['subject']): Status {
  try {
    const parsed = JSON.parse(body) as Status;
    if (parsed && parsed.kind === 'Status') return parsed;
  } catch {
    // not JSON: fall through to client-go's generic message
  }
  return statusForBareResponse(code, body, { verb: 'get', ...(subject ?? {}) });
}

function connectError(err: Error, server: string): TransportError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'ECONNREFUSED') {
    return new TransportError('refused', server, `The connection to the server ${new URL(server).host} was refused - did you specify the right host or port?`, { cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransportError('dns', server, `Unable to connect to the server ${server}: ${err.message}`, { cause: err });
  if (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return new TransportError('tls', server, `Unable to connect to the server ${server}: TLS verification failed: ${err.message}`, { cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return new TransportError('reset', server, `the connection to the server ${server} was closed unexpectedly (${code})`, { cause: err });
  if (/handshake has timed out/i.test(err.message)) return new TransportError('timeout', server, `the request to ${server} timed out: ${err.message}`, { cause: err });
  return new TransportError('other', server, `Unable to connect to the server ${server}: ${err.message}`, { cause: err });
}

/**
 * Pings the server every `intervalMs` so idle sessions survive proxies and load balancers that
 * drop silent connections. Deliberately no read timeout: a shell may legitimately print nothing
 * for hours. Returns the function that stops it (also stopped when the socket closes).
 */
export function keepAlive(ws: WebSocket, intervalMs = 15_000): () => void {
  const timer = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }, intervalMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  ws.once('close', stop);
  return stop;
}
