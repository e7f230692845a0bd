// openProxyTunnel against loopback proxies (no cluster): what reaches the proxy for IPv4, IPv6 and
// host-name targets, bytes through the tunnel both ways, and the errors for proxies that fail.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProxyTunnel, ProxyTunnelError } from '../../src/lib/http/proxy-tunnel.js';
import { connectProxy, socks5Proxy } from '../helpers/proxies.js';

const echo = createServer((s) => s.pipe(s));
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  port = (echo.address() as AddressInfo).port;
});
afterAll(() => {
  echo.close();
});

async function roundTrip(proxy: string, host: string): Promise<string> {
  const socket = await openProxyTunnel(proxy, host, port);
  const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
  socket.write('ping');
  const answer = await reply;
  socket.destroy();
  return answer;
}

describe('openProxyTunnel', () => {
  it('asks a SOCKS5 proxy for IPv4, IPv6 and host-name targets as RFC 1928 says', async () => {
    const proxy = await socks5Proxy();
    expect(await roundTrip(proxy.url, '127.0.0.1')).toBe('ping');
    expect(await roundTrip(proxy.url, '::1')).toBe('ping');
    expect(await roundTrip(proxy.url, 'kubernetes.default.svc')).toBe('ping');
    expect(proxy.targets).toEqual([`127.0.0.1:${port}`, `0000:0000:0000:0000:0000:0000:0000:0001:${port}`, `kubernetes.default.svc:${port}`]);
  });

  it('sends CONNECT with the target as authority, IPv6 in brackets, and Basic credentials from the URL', async () => {
    const proxy = await connectProxy();
    const url = proxy.url.replace('http://', 'http://jane:p%40ss@');
    expect(await roundTrip(url, '127.0.0.1')).toBe('ping');
    expect(await roundTrip(url, '::1')).toBe('ping');
    expect(proxy.targets).toEqual([`127.0.0.1:${port}`, `[::1]:${port}`]);
    expect(proxy.credentials[0]).toBe(`Basic ${Buffer.from('jane:p@ss').toString('base64')}`);
  });

  it('fails with a ProxyTunnelError that says why', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const unused = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(openProxyTunnel(`socks5://127.0.0.1:${unused}`, '127.0.0.1', port)).rejects.toThrow(new ProxyTunnelError(`cannot reach the proxy: connect ECONNREFUSED 127.0.0.1:${unused}`));
    await expect(openProxyTunnel('ftp://127.0.0.1:21', '127.0.0.1', port)).rejects.toThrow('proxy scheme ftp is not supported (use http, https, socks5 or socks5h)');
    const needsPassword = await socks5Proxy({ user: 'u', password: 'p' });
    await expect(openProxyTunnel(needsPassword.url.replace('u:p@', ''), '127.0.0.1', port)).rejects.toThrow('the SOCKS5 proxy requires authentication');
  });
});
