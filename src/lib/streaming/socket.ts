// Opening a channel-protocol WebSocket to a pod subresource with the client's server, TLS and credentials.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Client } from '../client.js';
import { ApiError, TransportError, type Status } from '../errors.js';
import type { QueryValue } from '../http/transport.js';
import { statusForBareResponse } from '../http/status-messages.js';
import { KTX_LIB_VERSION } from '../version.js';

/** Options of {@link openChannelSocket}. */
export interface ChannelSocketOptions {
  /** Sub-protocols to offer, preferred first; the server's choice is `socket.protocol`. */
  protocols: string[];
  signal?: AbortSignal;
  /** Give up on the upgrade after this long (default 30 s). */
  handshakeTimeoutMs?: number;
  /** For error messages: the subresource's pod, e.g. `{ resource: 'pods', name }`. */
  subject?: { resource: string; name?: string };
}

/**
 * Opens a WebSocket to an API path (`/api/v1/namespaces/NS/pods/P/exec`, `/attach`,
 * `/portforward`) with a GET upgrade, exactly the REST client's server, CA, client certificate,
 * bearer token and impersonation headers, and no compression (`perMessageDeflate: false`; the
 * apiserver does not negotiate it). Resolves once the server switched protocols.
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
  const ws = new WebSocket(url, options.protocols, {
    headers: { 'user-agent': `ktx/${KTX_LIB_VERSION} (${process.platform}/${process.arch})`, ...upgrade.headers } as Record<string, string>,
    ...(upgrade.ca ? { ca: upgrade.ca } : {}),
    ...(upgrade.cert ? { cert: upgrade.cert } : {}),
    ...(upgrade.key ? { key: upgrade.key } : {}),
    ...(upgrade.servername ? { servername: upgrade.servername } : {}),
    rejectUnauthorized: upgrade.rejectUnauthorized,
    perMessageDeflate: false,
    followRedirects: false,
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
    const onOpen = () => finish();
    const onError = (err: Error) => finish(connectError(err, server));
    const onAbort = () => finish(new TransportError('aborted', server, `the request to ${server} was aborted`, { cause: signal?.reason }));
    const onResponse = (_req: unknown, res: IncomingMessage) => {
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
