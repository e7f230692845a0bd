// The explorer throttles its table's snapshots itself rather than through Ink's maxFps: Ink's
// throttle holds back every frame alike, so a key pressed just after a churn-driven frame waited
// up to a whole frame interval for its own. Snapshots reach the explorer at most once per
// interval (the first at once, the latest always in the end), and a key renders straight away.
import type { LiveSnapshot } from '../live-table/live-rows.js';

/** What useSyncExternalStore reads: LiveRows, or a throttled view of it. */
export interface SnapshotSource {
  subscribe(listener: () => void): () => void;
  getSnapshot(): LiveSnapshot;
}

/**
 * A view of `source` whose snapshot changes at most once per `intervalMs`, on the leading and the
 * trailing edge. It listens to `source` only while it has listeners.
 */
export function throttleSnapshots(source: SnapshotSource, intervalMs: number): SnapshotSource {
  let shown = source.getSnapshot();
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const listeners = new Set<() => void>();
  const publish = () => {
    timer = undefined;
    const next = source.getSnapshot();
    if (next === shown) return;
    last = performance.now();
    shown = next;
    for (const l of listeners) l();
  };
  const onChange = () => {
    if (timer) return;
    const wait = last + intervalMs - performance.now();
    if (wait <= 0) publish();
    else timer = setTimeout(publish, wait);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribe) {
        unsubscribe = source.subscribe(onChange);
        // What changed while nobody listened (useSyncExternalStore compares after subscribing).
        shown = source.getSnapshot();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size) return;
        unsubscribe?.();
        unsubscribe = undefined;
        clearTimeout(timer);
        timer = undefined;
      };
    },
    getSnapshot: () => shown,
  };
}
