// kubectl port-forward as a library: local listeners, a SPDY tunnel per pod (or a WebSocket per connection), and pod re-selection.
import { setMaxListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { Client } from '../client.js';
import { ApiError, KtxError, TransportError } from '../errors.js';
import type { PodTarget } from '../targets/resolve.js';
import type { Pod, Service } from '../types/core/v1.js';
import { LostConnectionError } from './errors.js';
import { PodFollower } from './pod-follower.js';
import { forwardPort, openPortForwardSocket, pump } from './port-forward.js';
import { openPortForwardTunnel, TunnelRefusedError, type PortForwardTunnel } from './port-forward-tunnel.js';
import { checkUdpPorts, joinHostPort, parseListenAddresses, parsePortSpecs, translatePortSpecs, type ForwardedPort, type ListenAddress } from './port-specs.js';

/** Options of a {@link PortForwarder}. */
export interface PortForwarderOptions {
  /** Where the target was resolved (see `resolvePodTarget`): a pod, or a workload or Service and its chosen pod. */
  target: PodTarget;
  /** `[LOCAL:]REMOTE` specs: `8080`, `8888:5000`, `:5000` (random local port), named container ports, Service ports for Services. */
  ports: string[];
  /** Local addresses (`--address`): `localhost` (default; 127.0.0.1 and ::1) or IPs. */
  addresses?: string[];
  /** Follow workload and Service targets to a new ready pod when theirs goes away (default true). */
  follow?: boolean;
  /** How long a new connection waits for a replacement pod (default 60 s). */
  podRunningTimeoutMs?: number;
  /** kubectl's stdout lines: `Forwarding from 127.0.0.1:8888 -> 5000`, `Handling connection for 8888`. */
  onOutput?: (line: string) => void;
  /** Notices for stderr: `Unable to listen on port …`, `Pod x is gone; forwarding to pod y`. */
  onNotice?: (line: string) => void;
  /** A connection failed: `an error occurred forwarding 8888 -> 5000: …` (kubectl logs these and carries on). */
  onError?: (error: Error) => void;
  /**
   * Carry connections as kubectl does, over one SPDY-over-WebSocket tunnel per pod (default: true
   * unless the environment has `KTX_PORT_FORWARD_TUNNEL=false`); false opens a v4 WebSocket per
   * connection. A server that refuses the tunnel gets the v4 protocol anyway.
   */
  tunnel?: boolean;
}

/** How a {@link PortForwarder} carried its connections. */
export interface PortForwardStats {
  /** Tunnels (SPDY sessions, one WebSocket each) opened. */
  tunnels: number;
  /** Connections carried over a tunnel. */
  tunnelled: number;
  /** Connections carried over their own v4 WebSocket. */
  websocket: number;
}

/** One bound listener. */
export interface Listener {
  address: string;
  local: number;
  remote: number;
}

/**
 * `kubectl port-forward`: listens on local addresses and carries every accepted connection to a
 * pod port. As kubectl 1.31+, connections share one WebSocket per pod tunnelling a SPDY session
 * ({@link openPortForwardTunnel}; two SPDY streams per connection), opened with the first
 * connection and kept for the forwarder's lifetime (a tunnel that ends is reopened by the next
 * connection). When the server refuses the tunnel (an older apiserver, a proxy), or with
 * `tunnel: false`, every connection gets its own v4 WebSocket ({@link forwardPort}).
 *
 * {@link start} does kubectl's checks in kubectl's order (named and Service ports translated to
 * container ports, UDP-only ports refused, `unable to forward port because pod is not running`,
 * port specs parsed) and binds: each port on every address; `localhost` succeeds when 127.0.0.1
 * or ::1 binds, explicit addresses must all bind; a port that cannot be bound is reported
 * (`Unable to listen on port …`) and skipped, and start fails only when no port could be bound.
 *
 * Beyond kubectl, a workload or Service target survives its pod: when the pod goes away the
 * forwarder re-selects a ready pod (`Pod x is gone; forwarding to pod y`), and new connections go
 * there. A named pod that goes away ends the session: {@link done} rejects with
 * `lost connection to pod`. {@link stop} closes listeners and every connection.
 */
export class PortForwarder {
  /** Settles when the forwarder stops: resolves after {@link stop}, rejects with a LostConnectionError when a named pod went away. */
  readonly done: Promise<void>;
  private readonly addresses: ListenAddress[];
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly handlers = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly follower: PodFollower;
  private readonly namespace: string;
  private forwarded: ForwardedPort[] = [];
  private bound: Listener[] = [];
  private settle!: { resolve: () => void; reject: (err: Error) => void };
  private stopping: Promise<void> | undefined;
  /** Each pod's tunnel, while opening or open. */
  private readonly tunnels = new Map<string, Promise<PortForwardTunnel>>();
  private useTunnel: boolean;
  private readonly counts: PortForwardStats = { tunnels: 0, tunnelled: 0, websocket: 0 };

  constructor(
    private readonly client: Client,
    private readonly options: PortForwarderOptions,
  ) {
    this.addresses = parseListenAddresses(options.addresses ?? ['localhost']);
    this.namespace = options.target.pod.metadata?.namespace ?? client.defaultNamespace;
    this.useTunnel = options.tunnel ?? process.env.KTX_PORT_FORWARD_TUNNEL !== 'false';
    // Every live connection listens on the one abort signal.
    setMaxListeners(0, this.abort.signal);
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
    this.follower = new PodFollower(client, this.namespace, options.target, {
      onSwitch: (from, to) => {
        this.retarget(to);
        this.options.onNotice?.(`Pod ${from} is gone; forwarding to pod ${to.metadata?.name ?? ''}`);
      },
      onWaiting: (from) => this.options.onNotice?.(`Pod ${from} is gone; waiting for a ready pod`),
      onLost: (pod) => void this.shutdown(new LostConnectionError(pod)),
    });
  }

  /** Connections being forwarded right now. */
  get activeConnections(): number {
    return this.sockets.size;
  }

  /** How connections were carried so far: tunnels opened, connections over tunnels, connections over their own WebSocket. */
  get stats(): Readonly<PortForwardStats> {
    return { ...this.counts };
  }

  /** The listeners bound by {@link start}, with their actual local ports. */
  get listeners(): readonly Listener[] {
    return this.bound;
  }

  /** The pod new connections go to (undefined while waiting for a replacement). */
  get pod(): Pod | undefined {
    return this.follower.pod;
  }

  /** Checks the target and ports as kubectl does, then binds every port; resolves once listening. */
  async start(): Promise<void> {
    const { target } = this.options;
    const pod = target.pod;
    const service = target.resource.group === '' && target.resource.kind === 'Service' ? (target.object as Service) : undefined;
    checkUdpPorts(this.options.ports, pod, service);
    const translated = translatePortSpecs(this.options.ports, pod, service);
    if (translated.length < 1) throw new KtxError('at least 1 PORT is required for port-forward');
    if (pod.status?.phase !== 'Running') {
      throw new KtxError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);
    }
    this.forwarded = parsePortSpecs(translated);
    let anyBound = false;
    for (const [index, port] of this.forwarded.entries()) {
      if (await this.listenOnPort(port, index)) anyBound = true;
    }
    if (!anyBound) {
      await this.closeServers();
      throw new KtxError(`unable to listen on any of the requested ports: [${this.forwarded.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
    }
    if (this.options.follow !== false || target.selector === undefined) {
      void this.follower.run(this.abort.signal).catch(() => undefined);
    }
  }

  /** Stops listening, closes every forwarded connection and the pod watch; resolves when all are closed. */
  stop(): Promise<void> {
    return this.shutdown();
  }

  private shutdown(reason?: Error): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      for (const s of this.sockets) s.destroy();
      await this.closeServers();
      await Promise.allSettled([...this.handlers]);
      const tunnels = [...this.tunnels.values()];
      this.tunnels.clear();
      for (const t of await Promise.allSettled(tunnels)) if (t.status === 'fulfilled') t.value.close();
      if (reason) this.settle.reject(reason);
      else this.settle.resolve();
    })();
    return this.stopping;
  }

  private async closeServers(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /** client-go's listenOnPort: every address, with its failure mode; true when the port is usable. */
  private async listenOnPort(port: ForwardedPort, index: number): Promise<boolean> {
    const errors: string[] = [];
    const failed = { all: 0, any: 0 };
    const succeeded = { all: 0, any: 0 };
    for (const addr of this.addresses) {
      try {
        const server = await this.listen(addr, port, index);
        const bound = (server.address() as { port: number }).port;
        port.local = bound;
        this.servers.push(server);
        this.bound.push({ address: addr.address, local: bound, remote: port.remote });
        this.options.onOutput?.(`Forwarding from ${joinHostPort(addr.address, bound)} -> ${port.remote}`);
        succeeded[addr.failureMode]++;
      } catch (err) {
        errors.push(`unable to create listener: Error ${goListenError(addr, port.local, err as NodeJS.ErrnoException)}`);
        failed[addr.failureMode]++;
      }
    }
    if ((succeeded.all === 0 && failed.all > 0) || failed.any > 0) {
      this.options.onNotice?.(`Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]`);
      return false;
    }
    return true;
  }

  private listen(addr: ListenAddress, port: ForwardedPort, index: number): Promise<Server> {
    // Half-open: a client's EOF is carried to the pod, and the pod's answer still delivered.
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => this.accept(socket, index));
    return new Promise<Server>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: addr.address, port: port.local, ipv6Only: addr.family === 6, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve(server);
      });
    });
  }

  private accept(socket: Socket, index: number): void {
    const port = this.forwarded[index]!;
    if (this.abort.signal.aborted) {
      socket.destroy();
      return;
    }
    this.options.onOutput?.(`Handling connection for ${port.local}`);
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    // As Go's net package (kubectl): small writes of interactive protocols go out at once.
    socket.setNoDelay(true);
    const handler = this.forward(socket, port).finally(() => {
      this.sockets.delete(socket);
      this.handlers.delete(handler);
    });
    this.handlers.add(handler);
  }

  private async forward(socket: Socket, port: ForwardedPort): Promise<void> {
    const signal = this.abort.signal;
    let remote = port.remote;
    try {
      const pod = await this.follower.next(this.options.podRunningTimeoutMs ?? 60_000, signal);
      // A replacement pod chosen while this connection waited may name its ports differently.
      remote = port.remote;
      await this.carry(pod.metadata?.name ?? '', remote, socket, signal);
    } catch (err) {
      socket.destroy();
      if (signal.aborted) return;
      this.options.onError?.(new KtxError(`an error occurred forwarding ${port.local} -> ${remote}: ${(err as Error).message}`, { cause: err }));
    }
  }

  /** One connection over the pod's tunnel, or over its own v4 WebSocket when tunnels are off or refused. */
  private async carry(pod: string, remote: number, socket: Socket, signal: AbortSignal): Promise<void> {
    if (!this.useTunnel) {
      this.counts.websocket++;
      return forwardPort(this.client, this.namespace, pod, remote, socket, signal);
    }
    let tunnel: PortForwardTunnel | undefined;
    let refused = false;
    try {
      tunnel = await this.tunnelFor(pod);
    } catch (err) {
      if (signal.aborted) throw err;
      refused = err instanceof ApiError || err instanceof TunnelRefusedError || (err instanceof TransportError && /subprotocol/i.test(err.message));
    }
    if (tunnel) {
      this.counts.tunnelled++;
      try {
        return await tunnel.forward(remote, socket, signal);
      } finally {
        // A tunnel to a pod that was replaced is closed once its last connection ends.
        if (tunnel.activeConnections === 0 && this.follower.pod?.metadata?.name !== pod) this.dropTunnel(pod, tunnel);
      }
    }
    // The tunnel failed to open: try this connection the v4 way. When that works after the server
    // refused the tunnel, it does not tunnel (or a proxy in between does not): later connections
    // go straight to v4.
    const ws = await openPortForwardSocket(this.client, this.namespace, pod, remote, signal);
    if (refused) this.useTunnel = false;
    this.counts.websocket++;
    const done = pump(ws, socket, remote, signal);
    ws.resume();
    return done;
  }

  /** The pod's open tunnel, or a new one. */
  private async tunnelFor(pod: string): Promise<PortForwardTunnel> {
    const existing = this.tunnels.get(pod);
    if (existing) {
      // An opening that fails fails the connections waiting for it too (they try v4).
      const tunnel = await existing;
      if (tunnel.usable) return tunnel;
      if (this.tunnels.get(pod) === existing) this.tunnels.delete(pod);
      tunnel.close();
      const again = this.tunnels.get(pod);
      if (again) return again;
    }
    const opening = openPortForwardTunnel(this.client, this.namespace, pod, this.abort.signal);
    this.tunnels.set(pod, opening);
    const forget = () => {
      if (this.tunnels.get(pod) === opening) this.tunnels.delete(pod);
    };
    opening.then((t) => {
      this.counts.tunnels++;
      void t.closed.then(forget);
    }, forget);
    return opening;
  }

  private dropTunnel(pod: string, tunnel: PortForwardTunnel): void {
    void this.tunnels.get(pod)?.then((t) => {
      if (t !== tunnel) return;
      this.tunnels.delete(pod);
      t.close();
    }, () => undefined);
  }

  /** A new pod may name its ports differently: translate the specs again, keeping the local ports. */
  private retarget(pod: Pod): void {
    const { target, ports } = this.options;
    const service = target.resource.kind === 'Service' && target.resource.group === '' ? (target.object as Service) : undefined;
    try {
      const remotes = parsePortSpecs(translatePortSpecs(ports, pod, service));
      remotes.forEach((r, i) => {
        const port = this.forwarded[i];
        if (port) port.remote = r.remote;
      });
    } catch (err) {
      this.options.onNotice?.(`keeping the previous remote ports for pod ${pod.metadata?.name ?? ''}: ${(err as Error).message}`);
    }
  }
}

/** Go's text for a failed listen: `listen tcp4 127.0.0.1:8080: bind: address already in use`. */
function goListenError(addr: ListenAddress, port: number, err: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    EADDRINUSE: 'address already in use',
    EACCES: 'permission denied',
    EADDRNOTAVAIL: 'cannot assign requested address',
    EAFNOSUPPORT: 'address family not supported by protocol',
  };
  const why = reasons[err.code ?? ''] ?? err.message;
  return `listen tcp${addr.family} ${joinHostPort(addr.address, port)}: bind: ${why}`;
}
