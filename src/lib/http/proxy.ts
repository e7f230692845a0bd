import { isIP } from 'node:net';

/**
 * Chooses the proxy for a request to `target` from the environment, with Go's `httpproxy` rules
 * (what kubectl does when the kubeconfig has no `proxy-url`):
 * - `HTTPS_PROXY`/`https_proxy` for https targets, `HTTP_PROXY`/`http_proxy` for http targets;
 * - `localhost` and loopback addresses are never proxied;
 * - `NO_PROXY`/`no_proxy` is a comma-separated list of `*`, IP addresses, CIDR ranges, and host
 *   names (`example.com` and `.example.com` both match the domain and its subdomains), each with an
 *   optional `:port`.
 * Returns the proxy URL, or undefined for a direct connection.
 */
export function proxyFromEnvironment(target: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const https = target.protocol === 'https:' || target.protocol === 'wss:';
  const proxy = https ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return undefined;
  const host = stripBrackets(target.hostname).toLowerCase();
  if (host === 'localhost' || isLoopback(host)) return undefined;
  const port = target.port || (https ? '443' : '80');
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  if (matchesNoProxy(host, port, noProxy)) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** True when `host:port` matches an entry of a NO_PROXY list (Go `httpproxy` semantics). */
export function matchesNoProxy(host: string, port: string, noProxy: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (isIP(h) && inCidr(h, entry)) return true;
      continue;
    }
    let entryPort: string | undefined;
    const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2];
    } else if (isIP(entry) !== 6) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1]!;
        entryPort = m[2];
      }
    }
    if (entryPort && entryPort !== port) continue;
    if (isIP(entry)) {
      if (isIP(h) && sameIp(entry, h)) return true;
      continue;
    }
    const domain = entry.startsWith('*.') ? entry.slice(1) : entry;
    if (domain.startsWith('.')) {
      if (h.endsWith(domain) || h === domain.slice(1)) return true;
    } else if (h === domain || h.endsWith(`.${domain}`)) {
      return true;
    }
  }
  return false;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLoopback(host: string): boolean {
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    const bytes = ipBytes(host);
    return bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
  }
  return false;
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (!base || !bitsText || !isIP(base) || isIP(base) !== isIP(ip)) return false;
  const bits = Number(bitsText);
  const a = ipBytes(ip);
  const b = ipBytes(base);
  for (let i = 0; i < a.length; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const parse = (s: string) => (s ? s.split(':') : []).flatMap((part) => {
    if (part.includes('.')) return ipBytes(part).reduce<number[]>((acc, v, i) => (i % 2 ? (acc[acc.length - 1] = acc[acc.length - 1]! * 256 + v, acc) : [...acc, v]), []);
    return [parseInt(part, 16)];
  });
  const h = parse(head);
  const t = parse(tail);
  const groups = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
}
