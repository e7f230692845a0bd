// Port-forward arguments as kubectl reads them: `[LOCAL:]REMOTE` specs, named and Service ports, listen addresses.
import { isIP } from 'node:net';
import { KtxError } from '../errors.js';
import type { Pod, Service } from '../types/core/v1.js';

/** One forwarded port: local 0 means "pick a free port" until the listener is bound. */
export interface ForwardedPort {
  local: number;
  remote: number;
}

/** A local address to listen on; `all` failures are tolerated while one of the group binds, `any` failure is fatal. */
export interface ListenAddress {
  address: string;
  family: 4 | 6;
  failureMode: 'all' | 'any';
}

/** kubectl's splitPort: `L:R` → [L, R]; anything else → [spec, spec]. */
export function splitPortSpec(spec: string): { local: string; remote: string } {
  const parts = spec.split(':');
  if (parts.length === 2) return { local: parts[0]!, remote: parts[1]! };
  return { local: parts[0]!, remote: parts[0]! };
}

const isInt = (s: string) => /^[+-]?\d+$/.test(s);

/** A container port number by port name across the pod's containers (`Pod 'p' does not have a named port 'http'`). */
export function containerPortByName(pod: Pod, name: string): number {
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.name ?? '') === name) return p.containerPort;
  }
  throw new KtxError(`Pod '${pod.metadata?.name ?? ''}' does not have a named port '${name}'`);
}

function servicePortByName(svc: Service, name: string): number {
  const p = svc.spec?.ports?.find((x) => (x.name ?? '') === name);
  if (!p) throw new KtxError(`Service '${svc.metadata?.name ?? ''}' does not have a named port '${name}'`);
  return p.port;
}

/** The container port behind a Service port: its numeric targetPort, the named port in the pod, or the port itself for headless Services. */
function containerPortForServicePort(svc: Service, pod: Pod, port: number): number {
  for (const sp of svc.spec?.ports ?? []) {
    if (sp.port !== port) continue;
    if (svc.spec?.clusterIP === 'None') return port;
    const target = sp.targetPort;
    if (target === undefined || typeof target === 'number') return target ? target : sp.port;
    return containerPortByName(pod, target);
  }
  throw new KtxError(`Service ${svc.metadata?.name ?? ''} does not have a service port ${port}`);
}

/**
 * Rewrites port specs so REMOTE is a container port number, as kubectl does before forwarding:
 * for a Service, REMOTE is a Service port number or name, mapped to its targetPort (numeric, or
 * named and looked up in the pod); for anything else a non-numeric REMOTE is a named container
 * port. LOCAL is kept (a bare Service port stays the local port: `80` → `80:8080`).
 */
export function translatePortSpecs(specs: readonly string[], pod: Pod, service?: Service): string[] {
  return specs.map((spec) => {
    const split = splitPortSpec(spec);
    let local = split.local;
    const remote = split.remote;
    if (remote === '') throw new KtxError('remote port cannot be empty');
    if (service) {
      let port: number;
      if (isInt(remote)) port = Number(remote);
      else {
        port = servicePortByName(service, remote);
        if (local === remote) local = String(port);
      }
      const target = String(containerPortForServicePort(service, pod, port));
      return local !== target ? `${local}:${target}` : target;
    }
    const containerPort = isInt(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${containerPort}` : containerPort;
  });
}

/**
 * Rejects REMOTE ports that are UDP-only in the pod's containers (or the Service's ports):
 * `UDP protocol is not supported for <port>`; port-forward carries TCP only.
 */
export function checkUdpPorts(specs: readonly string[], pod: Pod, service?: Service): void {
  const udp = new Set<number>();
  const tcp = new Set<number>();
  const add = (port: number, protocol: string | undefined) => {
    if (protocol === 'UDP') udp.add(port);
    if (protocol === 'TCP') tcp.add(port);
  };
  if (service) for (const p of service.spec?.ports ?? []) add(p.port, p.protocol);
  else for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) add(p.containerPort, p.protocol);
  for (const spec of specs) {
    const { remote } = splitPortSpec(spec);
    const port = isInt(remote) ? Number(remote) : service ? servicePortByName(service, remote) : containerPortByName(pod, remote);
    if (udp.has(port) && !tcp.has(port)) throw new KtxError(`UDP protocol is not supported for ${remote}`);
  }
}

/** Go's strconv.ParseUint(s, 10, 16) with its error text. */
function parseUint16(text: string, what: 'local' | 'remote'): number {
  const fail = (why: string) => new KtxError(`error parsing ${what} port '${text}': strconv.ParseUint: parsing ${JSON.stringify(text)}: ${why}`);
  if (!/^\d+$/.test(text)) throw fail('invalid syntax');
  const n = Number(text);
  if (n > 65535) throw fail('value out of range');
  return n;
}

/** client-go's parsePorts: `8080`, `8888:5000`, `:5000` (random local port, 0) → numbers. */
export function parsePortSpecs(specs: readonly string[]): ForwardedPort[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new KtxError(`invalid port format '${spec}'`);
    const remoteText = parts.length === 1 ? parts[0]! : parts[1]!;
    const localText = parts.length === 1 ? parts[0]! : parts[0] || '0';
    const local = parseUint16(localText, 'local');
    const remote = parseUint16(remoteText, 'remote');
    if (remote === 0) throw new KtxError('remote port must be > 0');
    return { local, remote };
  });
}

/**
 * `--address` values as client-go reads them: `localhost` is 127.0.0.1 and ::1 (enough if either
 * binds), an IP must bind; sorted by address, duplicates dropped (`x is not a valid IP` otherwise).
 */
export function parseListenAddresses(addresses: readonly string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const address of addresses) {
    if (address === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', family: 4, failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', family: 6, failureMode: 'all' });
    } else if (isIP(address) === 4) {
      parsed.set(address, { address, family: 4, failureMode: 'any' });
    } else if (isIP(address) === 6) {
      parsed.set(address, { address, family: 6, failureMode: 'any' });
    } else {
      throw new KtxError(`${address} is not a valid IP`);
    }
  }
  return [...parsed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** `host:port`, with IPv6 hosts in brackets (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
