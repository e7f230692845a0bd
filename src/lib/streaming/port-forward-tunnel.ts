// kubectl's port-forward transport since 1.31: one WebSocket per pod tunnelling a SPDY/3.1 session, two SPDY streams per connection.
import type { Duplex } from 'node:stream';
import WebSocket from 'ws';
import { resourcePath } from '../api/resource.js';
import type { Client } from '../client.js';
import { KtxError } from '../errors.js';
import { pods } from '../types/resources.js';
import { PortForwardError } from './errors.js';
import { messageBytes } from './protocol.js';
import { openChannelSocket } from './socket.js';
import { SpdySession, type SpdyTransport } from './spdy/session.js';

/**
 * The WebSocket sub-protocol of the apiserver's port-forward tunnel (feature PortForwardWebsockets,
 * on by default since 1.31): `SPDY/3.1+` and the SPDY protocol `portforward.k8s.io`.
 */
export const PORT_FORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** Above this many bytes queued for a local socket, the whole session stops reading until they are written. */
const LOCAL_HIGH_WATER = 1 << 20;

/**
 * After the local side's EOF, how long the pod may stay silent before the connection is closed
 * anyway. The pod's FIN ends it at once, and a real kubelet relays the container's; kwok never
 * sends one, and kubectl then keeps such a connection forever. A minute lets a slow server answer
 * a half-closed request (kubectl would wait as long as it takes) without holding dead streams for
 * the life of the forward.
 */
const LINGER_MS = 60_000;
/** How long a finished connection waits for the kubelet to end its error stream. */
const ERROR_STREAM_GRACE_MS = 5_000;

/** The server answered the tunnel's upgrade with another (or no) sub-protocol. */
export class TunnelRefusedError extends KtxError {
  override name = 'TunnelRefusedError';
}

/**
 * Opens kubectl's port-forward tunnel to a pod: `GET /api/v1/namespaces/NS/pods/P/portforward`
 * (no `ports` query; each stream names its port) as a WebSocket with sub-protocol
 * `SPDY/3.1+portforward.k8s.io`. The apiserver turns it into a SPDY/3.1 upgrade to the kubelet
 * and relays bytes both ways, so the WebSocket's binary messages carry a raw SPDY byte stream
 * (frames may span messages). Uses the Client's server, TLS material and credentials as
 * {@link openChannelSocket} does.
 *
 * Rejects with the upgrade's ApiError (e.g. an apiserver without the tunnel answers 400) or
 * TransportError, or a TunnelRefusedError when the server chose another sub-protocol.
 */
export async function openPortForwardTunnel(client: Client, namespace: string, pod: string, signal?: AbortSignal): Promise<PortForwardTunnel> {
  const ws = await openChannelSocket(client, resourcePath(pods, { namespace, name: pod, subresource: 'portforward' }), {}, {
    protocols: [PORT_FORWARD_TUNNEL_PROTOCOL],
    subject: { resource: 'pods', name: pod },
    paused: true,
    ...(signal ? { signal } : {}),
  });
  if (ws.protocol !== PORT_FORWARD_TUNNEL_PROTOCOL) {
    ws.on('error', () => undefined);
    ws.terminate();
    throw new TunnelRefusedError(`the server does not tunnel port-forward over WebSockets (sub-protocol ${JSON.stringify(ws.protocol)})`);
  }
  return new PortForwardTunnel(ws, pod);
}

/**
 * One pod's port-forward session: a SPDY/3.1 session over a WebSocket (see
 * {@link openPortForwardTunnel}) carrying any number of forwarded connections at once.
 *
 * Per connection ({@link forward}), as client-go's PortForwarder.handleConnection: a request id
 * from a counter; an error stream (headers `streamType: error`, `port`, `requestID`) which this
 * side half-closes at once and reads for the kubelet's error text; a data stream (`streamType:
 * data`, same port and request id) carrying the bytes both ways. The kubelet pairs the two
 * streams by request id and connects the data stream to the port inside the pod.
 */
export class PortForwardTunnel {
  /** The SPDY session. */
  readonly session: SpdySession;
  /** Settles when the session ends: with the error, or undefined for a close by this side. */
  readonly closed: Promise<Error | undefined>;
  private nextRequestId = 0;
  private active = 0;

  constructor(
    private readonly ws: WebSocket,
    /** The pod the tunnel leads to. */
    readonly pod: string,
  ) {
    const transport: SpdyTransport = {
      send: (data, callback) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data, callback);
        else callback?.(new Error('the WebSocket is closed'));
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      pause: () => ws.pause(),
      resume: () => ws.resume(),
      close: () => {
        if (ws.readyState !== WebSocket.OPEN && ws.readyState !== WebSocket.CONNECTING) return;
        ws.close(1000);
        // The close handshake waits for the server's answer; do not let a silent server hold the process.
        const timer = setTimeout(() => ws.terminate(), 2000);
        timer.unref();
        ws.once('close', () => clearTimeout(timer));
      },
    };
    this.session = new SpdySession(transport);
    this.closed = new Promise((resolve) => this.session.once('close', resolve));
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!isBinary) this.session.destroy(new KtxError('invalid message type received on the port-forward tunnel'));
      else this.session.receive(messageBytes(data));
    });
    ws.on('error', () => undefined);
    ws.once('close', (code: number) => this.session.transportClosed(code === 1000 || code === 1005 ? undefined : new KtxError(`the port-forward tunnel closed (WebSocket code ${code})`)));
    // openPortForwardTunnel opens it paused, so that nothing the server sent is missed.
    if (ws.isPaused) ws.resume();
  }

  /** New connections can be forwarded: the session is open and the server did not send GOAWAY. */
  get usable(): boolean {
    return this.session.usable;
  }

  /** Connections being forwarded over this tunnel right now. */
  get activeConnections(): number {
    return this.active;
  }

  /** Ends the session (GOAWAY, WebSocket close); connections still open are reset. */
  close(): void {
    this.session.close();
  }

  /**
   * Carries one local connection to `remotePort` of the pod and back, with backpressure both ways
   * (the local socket is paused while the WebSocket's queue is long; the session stops reading
   * while the local socket has over 1 MiB to write). A local half-close (EOF) is sent on as FIN
   * and the pod's answer still delivered, until the pod's FIN or 2 s in which the pod sent nothing;
   * the pod's FIN half-closes the local socket. When the local socket closes first, both streams
   * are reset.
   *
   * Resolves when the local socket is closed; rejects with a PortForwardError when the kubelet
   * wrote an error (e.g. nothing listens on the port), or when the session cannot open streams.
   * A session that dies meanwhile ends the connection without an error (as a lost v4 WebSocket).
   * Aborting `signal` destroys the socket and resolves.
   */
  forward(remotePort: number, socket: Duplex, signal?: AbortSignal): Promise<void> {
    const session = this.session;
    const common = { port: String(remotePort), requestid: String(this.nextRequestId++) };
    let errorStream, dataStream;
    try {
      errorStream = session.openStream({ streamtype: 'error', ...common }, { fin: true });
      dataStream = session.openStream({ streamtype: 'data', ...common });
    } catch (err) {
      errorStream?.reset();
      socket.destroy();
      return Promise.reject(err as Error);
    }
    const data = dataStream;
    const errors = errorStream;
    this.active++;
    socket.pause();
    return new Promise<void>((resolve, reject) => {
      const errorText: Buffer[] = [];
      let readingPaused = false;
      let waitingToWrite = false;
      const resumeReading = () => {
        if (!readingPaused) return;
        readingPaused = false;
        session.resumeReading();
      };
      const flushAndClose = () => {
        if (!socket.destroyed) socket.end(() => socket.destroy());
      };

      let linger: NodeJS.Timeout | undefined;
      errors.on('data', (chunk) => errorText.push(chunk));
      // The kubelet's error (e.g. nothing listens on the port) ends this connection; kubectl ends
      // its whole session there, ktx goes on forwarding the others.
      errors.on('end', () => {
        if (errorText.length > 0) flushAndClose();
      });
      data.on('reply', () => {
        if (!socket.destroyed) socket.resume();
      });
      data.on('data', (chunk) => {
        linger?.refresh();
        if (socket.destroyed || socket.writableEnded) return;
        if (!socket.write(chunk) && !readingPaused && socket.writableLength >= LOCAL_HIGH_WATER) {
          readingPaused = true;
          session.pauseReading();
          socket.once('drain', resumeReading);
        }
      });
      data.on('end', () => {
        if (socket.destroyed) return;
        if (data.localEnded) flushAndClose();
        else socket.end();
      });
      data.on('reset', flushAndClose);

      socket.on('data', (chunk: Buffer) => {
        if (!data.write(chunk) && !waitingToWrite) {
          waitingToWrite = true;
          socket.pause();
          session.whenWritable(() => {
            waitingToWrite = false;
            if (!socket.destroyed && !data.closed) socket.resume();
          });
        }
      });
      // The local side's EOF goes to the pod as FIN; the connection then lasts until the pod ends
      // its side too (or stays silent for LINGER_MS).
      socket.on('end', () => {
        data.end();
        if (data.remoteEnded || data.closed) flushAndClose();
        else linger = setTimeout(flushAndClose, LINGER_MS);
      });
      socket.on('error', () => socket.destroy());

      const onAbort = () => socket.destroy();
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(errorWait);
        errors.reset();
        this.active--;
        if (errorText.length > 0 && !signal?.aborted) reject(new PortForwardError(remotePort, Buffer.concat(errorText).toString('utf8')));
        else resolve();
      };
      let errorWait: NodeJS.Timeout | undefined;
      const onClose = () => {
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(linger);
        resumeReading();
        data.reset();
        // The kubelet may close the data stream before it writes the error (kwok does): as
        // client-go, read the error stream to its end before judging the connection.
        if (errors.closed || signal?.aborted) return settle();
        errors.once('close', settle);
        errorWait = setTimeout(() => {
          errors.off('close', settle);
          settle();
        }, ERROR_STREAM_GRACE_MS);
      };
      if (socket.destroyed) onClose();
      else socket.once('close', onClose);
    });
  }
}
