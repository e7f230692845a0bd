// The port-forwards started from the explorer: a list the forwards view subscribes to, and the
// `[LOCAL:]REMOTE` text the `f` dialog accepts.
import type { ObjectRef } from './source.js';

/** One port-forward as the explorer lists it. */
export interface ForwardInfo {
  id: number;
  /** What was forwarded: a pod, or the workload or Service a pod was chosen for. */
  target: ObjectRef;
  /** The pod connections go to. */
  pod: string;
  /** The spec as typed, e.g. `:8080`. */
  spec: string;
  /** `127.0.0.1:41234 -> 8080`, one per bound listener. */
  listeners: string[];
  /** The first local address, for messages: `127.0.0.1:41234`. */
  address: string;
  remote: number;
  /** Set when the forward ended by itself (its pod went away). */
  error?: string;
}

/** A running forward as the registry needs it: how to stop it, and when it ended. */
export interface ForwardHandle {
  stop(): Promise<void>;
  /** Settles when the forward ends: resolves after stop(), rejects when it ended by itself. */
  done: Promise<void>;
}

/** The forwards started from the explorer; ForwardsView reads it with useSyncExternalStore. */
export class PortForwards {
  #snapshot: readonly ForwardInfo[] = [];
  readonly #handles = new Map<number, ForwardHandle>();
  readonly #listeners = new Set<() => void>();
  #nextId = 1;

  /** Records a started forward; it stays listed until stopped (with `error` set if it ended by itself). */
  add(info: Omit<ForwardInfo, 'id'>, handle: ForwardHandle): ForwardInfo {
    const entry: ForwardInfo = { ...info, id: this.#nextId++ };
    this.#handles.set(entry.id, handle);
    this.#set([...this.#snapshot, entry]);
    handle.done.catch((err: unknown) => {
      if (!this.#handles.has(entry.id)) return;
      this.#set(this.#snapshot.map((f) => (f.id === entry.id ? { ...f, error: err instanceof Error ? err.message : String(err) } : f)));
    });
    return entry;
  }

  /** Stops a forward (closing its listeners and connections) and drops it from the list. */
  async stop(id: number): Promise<void> {
    const handle = this.#handles.get(id);
    if (!handle) return;
    this.#handles.delete(id);
    this.#set(this.#snapshot.filter((f) => f.id !== id));
    await handle.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#snapshot.map((f) => this.stop(f.id)));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly ForwardInfo[] => this.#snapshot;

  #set(next: readonly ForwardInfo[]): void {
    this.#snapshot = next;
    for (const l of this.#listeners) l();
  }
}

/** A port the dialog accepted: LOCAL 0 picks a free port; REMOTE is a number or a port name. */
export interface PortSpec {
  local: number;
  remote: number | string;
  /** As PortForwarder takes it: `9000:8080`, `:8080`, `8080`. */
  text: string;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/**
 * The `f` dialog's input: `8080` (same port locally), `9000:8080`, or `:8080` (a free local port).
 * REMOTE may also name a container (or Service) port. Returns the spec or what is wrong with it.
 */
export function parsePortSpec(input: string): PortSpec | { error: string } {
  const text = input.trim();
  if (!text) return { error: 'type a port: 8080, LOCAL:REMOTE, or :REMOTE for a free local port' };
  const parts = text.split(':');
  if (parts.length > 2) return { error: `"${text}": use 8080, LOCAL:REMOTE or :REMOTE` };
  const [localText, remoteText] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (!remoteText) return { error: 'the remote port is missing (LOCAL:REMOTE)' };
  const remoteNumber = portNumber(remoteText);
  const named = remoteNumber === undefined && PORT_NAME.test(remoteText) && /[a-z]/.test(remoteText) && remoteText.length <= 15;
  if (remoteNumber === 0 || (remoteNumber === undefined && !named)) return { error: `remote port "${remoteText}" must be 1-65535 or a port name` };
  const remote = remoteNumber ?? remoteText;
  let local: number;
  if (localText === undefined) {
    if (typeof remote === 'string') return { error: `a named port needs a local port: 8080:${remote} or :${remote}` };
    local = remote;
  } else if (localText === '') {
    local = 0;
  } else {
    const n = portNumber(localText);
    if (n === undefined) return { error: `local port "${localText}" must be 0-65535 (empty or 0 picks a free port)` };
    local = n;
  }
  return { local, remote, text: localText === undefined ? String(remote) : `${localText}:${remote}` };
}
