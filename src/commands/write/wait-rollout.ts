// `apply --wait`: follow what was applied until it is ready, live on a terminal, as lines otherwise.
import type { ApplyResult } from '../../lib/apply/apply.js';
import { waitUntilReady } from '../../lib/apply/rollout.js';
import type { Client } from '../../lib/client.js';
import { inCi } from '../../cli/terminal.js';
import type { ProgressRow } from '../../ui/tui/apply-progress.js';
import { objectName } from './output.js';

/** A target that did not become ready: it failed, or the timeout passed while it was pending. */
export interface RolloutFailure {
  result: ApplyResult;
  message: string;
}

/**
 * Waits for the applied workloads (see `waitsFor`) with one watch each. On a terminal an Ink view
 * (loaded only here) shows every row live; otherwise a line is printed as each one finishes.
 */
export async function waitForRollout(client: Client, results: ApplyResult[], timeoutMs: number): Promise<RolloutFailure[]> {
  if (results.length === 0) return [];
  const names = results.map((r) => objectName(r.target.resource, r.object));
  const rows: ProgressRow[] = names.map((name) => ({ name, state: 'pending', message: 'waiting' }));
  const listeners = new Set<(rows: ProgressRow[]) => void>();
  // A terminal that reports no size (some CI pseudo-terminals) cannot hold a live view.
  const tty = !!process.stdout.isTTY && !inCi() && (process.stdout.columns ?? 0) > 0 && (process.stdout.rows ?? 0) > 0;
  const waiting = waitUntilReady(
    client,
    results.map((r) => ({ resource: r.target.resource, name: r.object.metadata?.name ?? '', ...(r.object.metadata?.namespace ? { namespace: r.object.metadata.namespace } : {}) })),
    {
      timeoutMs,
      onUpdate: (i, readiness) => {
        rows[i] = { name: names[i]!, ...readiness };
        for (const l of listeners) l([...rows]);
        if (!tty && readiness.state === 'ready') process.stdout.write(`${names[i]} ready\n`);
      },
    },
  );
  if (tty) {
    // The view's last frame stays on screen: what timed out ends there as failed, not spinning.
    const settled = waiting.then((final) => {
      final.forEach((r, i) => {
        if (r.state === 'pending') rows[i] = { name: names[i]!, state: 'failed', message: r.message };
      });
      for (const l of listeners) l([...rows]);
    });
    const { showApplyProgress } = await import('../../ui/tui/apply-progress.js');
    await showApplyProgress(
      {
        subscribe: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        current: () => [...rows],
      },
      settled,
    );
  }
  const final = await waiting;
  return final.flatMap((r, i) =>
    r.state === 'ready' ? [] : [{ result: results[i]!, message: r.state === 'failed' ? r.message : `timed out waiting for the rollout: ${r.message}` }],
  );
}
