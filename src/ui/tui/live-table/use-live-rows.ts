// React's view of the batched sources: each publish is one snapshot, so one render.
import { useSyncExternalStore } from 'react';
import type { ConnectionSnapshot, ConnectionStatus } from './connection.js';
import type { LiveRows, LiveSnapshot } from './live-rows.js';

export function useLiveRows(rows: LiveRows): LiveSnapshot {
  return useSyncExternalStore(rows.subscribe, rows.getSnapshot);
}

export function useConnection(connection: ConnectionStatus): ConnectionSnapshot {
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}
