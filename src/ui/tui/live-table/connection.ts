// The watcher's connection state for the status line, as a tiny external store (useSyncExternalStore).
import type { WatcherState } from '../../../lib/runtime/watcher.js';

export interface ConnectionSnapshot {
  state: WatcherState;
  /** The last error the watcher recovered from; cleared once it is watching again. */
  error?: string;
}

export class ConnectionStatus {
  #snapshot: ConnectionSnapshot = { state: 'listing' };
  readonly #listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): ConnectionSnapshot => this.#snapshot;

  /** Wire to the watcher's `onState`. */
  onState = (state: WatcherState): void => {
    // A failed attempt is followed by backoff; keep its error visible until the watch is back.
    this.#set(state === 'watching' ? { state } : { ...this.#snapshot, state });
  };

  /** Wire to the watcher's `onError`. */
  onError = (error: Error): void => {
    this.#set({ ...this.#snapshot, error: error.message });
  };

  #set(next: ConnectionSnapshot): void {
    if (next.state === this.#snapshot.state && next.error === this.#snapshot.error) return;
    this.#snapshot = next;
    for (const l of this.#listeners) l();
  }
}

/** The word the status line shows for a watcher state. */
export function stateLabel(state: WatcherState): string {
  switch (state) {
    case 'listing':
      return 'listing';
    case 'relisting':
      return 'relisting';
    case 'watching':
      return 'watching';
    case 'backoff':
      return 'reconnecting';
  }
}
