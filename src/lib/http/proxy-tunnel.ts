// A raw TCP tunnel to the apiserver through the cluster's proxy, for the WebSocket upgrades
// (exec, attach, port-forward) that do not go through undici's pooled dispatcher.
import type { IncomingMessage } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';

/** Why a tunnel through the proxy could not be opened (the message says what the proxy did). */
export class ProxyTunnelError extends Error {
  override name = 'ProxyTunnelError';
  readonly code = 'ERR_KTX_PROXY_TUNNEL';
}

/** Options of {@link openProxyTunnel}. */
export interface ProxyTunnelOptions {
  signal?: AbortSignal;
  /** Give up on the proxy's answer after this long (default 30 s). */
  timeoutMs?: number;
}

/**
 * Opens a TCP tunnel to `host:port` through `proxy`, as client-go's dialers do for a kubeconfig's
 * `proxy-url` or the `HTTPS_PROXY` environment:
 * - `http://` and `https://` proxies: an HTTP/1.1 `CONNECT host:port` (credentials in the URL go
 *   as `Proxy-Authorization: Basic`); any answer but 2xx fails with its status line.
 * - `socks5://` and `socks5h://`: a SOCKS5 CONNECT (RFC 1928), with username/password
 *   authentication (RFC 1929) when the URL has credentials; host names are sent to the proxy to
 *   resolve, as Go's SOCKS dialer does.
 *
 * Resolves with the connected socket (nothing read from it yet, TLS still to be started by the
 * caller). Rejects with a ProxyTunnelError naming what went wrong (the proxy unreachable, its
 * refusal, a failed handshake); callers turn it into their error taxonomy.
 */
export async function openProxyTunnel(proxy: string, host: string, port: number, options: ProxyTunnelOptions = {}): Promise<Socket> {
  const url = new URL(proxy);
  try {
    switch (url.protocol) {
      case 'http:':
      case 'https:':
        return await httpConnect(url, host, port, options);
      case 'socks5:':
      case 'socks5h:':
        return await socks5Connect(url, host, port, options);
      default:
        throw new ProxyTunnelError(`proxy scheme ${url.protocol.replace(/:$/, '')} is not supported (use http, https, socks5 or socks5h)`);
    }
  } catch (err) {
    if (err instanceof ProxyTunnelError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProxyTunnelError(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `cannot reach the proxy: ${(err as Error).message}` : (err as Error).message, { cause: err });
  }
}

/** `host:port` as an HTTP authority: IPv6 literals in brackets. */
function authority(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

async function httpConnect(proxy: URL, host: string, port: number, options: ProxyTunnelOptions): Promise<Socket> {
  const target = authority(host, port);
  const headers: Record<string, string> = { host: target };
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  // Loaded here: a `ktx get` without a proxy never needs node:http.
  const { request } = proxy.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<Socket>((resolve, reject) => {
    const req = request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
      timeout: options.timeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    req.once('connect', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      req.setTimeout(0);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        socket.destroy();
        reject(new ProxyTunnelError(`the proxy refused CONNECT ${target}: ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.once('timeout', () => req.destroy(new ProxyTunnelError(`the proxy did not answer CONNECT ${target} in time`)));
    req.once('error', reject);
    req.end();
  });
}

/** RFC 1928 §6 reply codes. */
const SOCKS_REPLIES: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

async function socks5Connect(proxy: URL, host: string, port: number, options: ProxyTunnelOptions): Promise<Socket> {
  const socket = connect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 1080) });
  const reader = new SocketReader(socket);
  const timer = setTimeout(() => socket.destroy(new ProxyTunnelError('the SOCKS5 proxy did not answer in time')), options.timeoutMs ?? 30_000);
  const onAbort = () => socket.destroy(new Error('aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        resolve();
      });
    });
    const username = decodeURIComponent(proxy.username);
    const password = decodeURIComponent(proxy.password);
    const withPassword = username !== '' || password !== '';
    socket.write(Buffer.from(withPassword ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader.read(2);
    if (version !== 5) throw new ProxyTunnelError('the proxy does not speak SOCKS5');
    if (method === 2) {
      const user = Buffer.from(username);
      const pass = Buffer.from(password);
      if (user.length > 255 || pass.length > 255) throw new ProxyTunnelError('SOCKS5 credentials longer than 255 bytes');
      socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
      const [, status] = await reader.read(2);
      if (status !== 0) throw new ProxyTunnelError('the SOCKS5 proxy refused the username and password');
    } else if (method !== 0) {
      throw new ProxyTunnelError(withPassword ? 'the SOCKS5 proxy accepts none of the offered authentication methods' : 'the SOCKS5 proxy requires authentication');
    }
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), socksAddress(host), Buffer.from([port >> 8, port & 0xff])]));
    const [, reply, , addressType] = await reader.read(4);
    if (reply !== 0) throw new ProxyTunnelError(`the SOCKS5 proxy could not connect to ${authority(host, port)}: ${SOCKS_REPLIES[reply ?? 1] ?? `reply ${reply}`}`);
    const addressLength = addressType === 1 ? 4 : addressType === 4 ? 16 : (await reader.read(1))[0]!;
    await reader.read(addressLength + 2);
    reader.release();
    return socket;
  } catch (err) {
    socket.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** DST.ADDR with its type: IPv4, IPv6, or a domain name for the proxy to resolve. */
function socksAddress(host: string): Buffer {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return Buffer.from([1, ...bare.split('.').map(Number)]);
  if (isIP(bare) === 6) return Buffer.concat([Buffer.from([4]), ipv6Bytes(bare)]);
  const name = Buffer.from(bare);
  if (name.length > 255) throw new ProxyTunnelError(`host name too long for SOCKS5: ${bare}`);
  return Buffer.concat([Buffer.from([3, name.length]), name]);
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = address.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Reads exact byte counts from a socket during a handshake; `release` hands any surplus back. */
class SocketReader {
  private buffered = Buffer.alloc(0);
  private waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.deliver();
  };
  private readonly onEnd = () => this.fail(new ProxyTunnelError('the proxy closed the connection during the handshake'));
  private readonly onError = (err: Error) => this.fail(err);

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
  }

  read(n: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { n, resolve, reject };
      this.deliver();
    });
  }

  release(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    if (this.buffered.length > 0) this.socket.unshift(this.buffered);
  }

  private deliver(): void {
    const w = this.waiting;
    if (!w || this.buffered.length < w.n) return;
    this.waiting = undefined;
    const out = this.buffered.subarray(0, w.n);
    this.buffered = this.buffered.subarray(w.n);
    w.resolve(out);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(err);
  }
}
