import { describe, expect, it } from 'vitest';
import { matchesNoProxy, proxyFromEnvironment } from '../../src/lib/http/proxy.js';

const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;

describe('proxyFromEnvironment', () => {
  it('picks HTTPS_PROXY for https and HTTP_PROXY for http targets, lower-case names too', () => {
    const e = env({ HTTPS_PROXY: 'http://p:1', http_proxy: 'p2:2' });
    expect(proxyFromEnvironment(new URL('https://api.example.com:6443'), e)).toBe('http://p:1');
    expect(proxyFromEnvironment(new URL('http://api.example.com'), e)).toBe('http://p2:2');
    expect(proxyFromEnvironment(new URL('https://api.example.com'), env({}))).toBeUndefined();
  });

  it('never proxies localhost or loopback addresses', () => {
    const e = env({ HTTPS_PROXY: 'http://p:1' });
    for (const u of ['https://localhost:6443', 'https://127.0.0.1', 'https://127.3.4.5:1', 'https://[::1]:6443']) {
      expect(proxyFromEnvironment(new URL(u), e), u).toBeUndefined();
    }
    expect(proxyFromEnvironment(new URL('https://10.0.0.1'), e)).toBe('http://p:1');
  });
});

describe('matchesNoProxy', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['api.example.com', '443', '*', true],
    ['api.example.com', '443', 'example.com', true],
    ['example.com', '443', '.example.com', true],
    ['api.example.com', '443', '.example.com', true],
    ['notexample.com', '443', 'example.com', false],
    ['api.example.com', '443', '*.example.com', true],
    ['api.example.com', '6443', 'api.example.com:443', false],
    ['api.example.com', '443', 'api.example.com:443', true],
    ['10.1.2.3', '443', '10.0.0.0/8', true],
    ['11.1.2.3', '443', '10.0.0.0/8', false],
    ['10.1.2.3', '443', '10.1.2.3', true],
    ['fd00::5', '443', 'fd00::/16', true],
    ['fd00::5', '443', '[fd00::5]:443', true],
    ['fd00::5', '443', '[fd00::5]:80', false],
    ['API.Example.com', '443', ' foo.org , example.com ', true],
    ['host', '443', '', false],
  ];
  it.each(cases)('%s:%s against %j → %s', (host, port, list, expected) => {
    expect(matchesNoProxy(host, port, list)).toBe(expected);
  });
});
