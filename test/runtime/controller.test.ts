// Controller, finalizer and awaitCondition against the real control plane.
import { describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import { Action, Controller, type ReconcileReason } from '../../src/lib/runtime/controller.js';
import { finalizer } from '../../src/lib/runtime/finalizer.js';
import { awaitCondition, conditions, WaitTimeoutError } from '../../src/lib/runtime/wait.js';
import { configMaps, deployments, secrets } from '../../src/lib/types/resources.js';
import type { ConfigMap, Deployment } from '../../src/lib/types/index.js';
import { useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('controller');
const client = () => contextClient('admin');
const cms = () => Api.namespaced(client(), configMaps, ns.name);

interface Seen {
  name: string;
  reason: ReconcileReason['type'];
  at: number;
  failures: number;
}

/** Runs a controller over ConfigMaps labelled `suite=<label>` until `stop()`; records every reconcile. */
function startController(
  label: string,
  reconcile: (cm: ConfigMap, seen: Seen) => Promise<Action | void>,
  setup: (c: Controller<ConfigMap>) => void = () => undefined,
  config: ConstructorParameters<typeof Controller>[1] = {},
) {
  const ac = new AbortController();
  const seen: Seen[] = [];
  const ctl = new Controller(cms(), { ...config, watcher: { labelSelector: `suite=${label}` } });
  setup(ctl);
  const done = ctl.run(async (cm, ctx) => {
    const s = { name: cm.metadata!.name!, reason: ctx.reason.type, at: Date.now(), failures: ctx.failures };
    seen.push(s);
    return reconcile(cm, s);
  }, undefined, { signal: ac.signal });
  return { ctl, seen, stop: async () => (ac.abort(), await done), done };
}

const names = (seen: Seen[], name: string) => seen.filter((s) => s.name === name);

describe('Controller', () => {
  it('reconciles every object once the stores are ready, then on changes, with the reason', async () => {
    await cms().create({ metadata: { name: 'a', labels: { suite: 'basic' } } });
    const { seen, stop } = startController('basic', async () => undefined, (c) =>
      c.owns(Api.namespaced(client(), secrets, ns.name), { labelSelector: 'suite=basic' }),
    );
    try {
      await waitUntil('the initial reconcile', () => names(seen, 'a').length === 1);
      await cms().patch('a', { type: 'merge', body: { data: { x: '1' } } });
      await waitUntil('a reconcile after the change', () => names(seen, 'a').length === 2);
      const owner = await cms().get('a');
      await Api.namespaced(client(), secrets, ns.name).create({
        metadata: { name: 'child', labels: { suite: 'basic' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: owner.metadata!.uid! }] },
      });
      await waitUntil('a reconcile for the owned object', () => names(seen, 'a').some((s) => s.reason === 'related-object-changed'));
      expect(names(seen, 'a').map((s) => s.reason).slice(0, 2)).toEqual(['object-changed', 'object-changed']);
    } finally {
      await stop();
    }
  });

  it('debounces bursts, never runs one object twice at once, and bounds concurrency', async () => {
    await Promise.all(['b0', 'b1', 'b2', 'b3', 'b4', 'b5'].map((n) => cms().create({ metadata: { name: n, labels: { suite: 'burst' } } })));
    let running = 0;
    let maxRunning = 0;
    const perKey = new Map<string, number>();
    let overlap = false;
    const { seen, stop } = startController(
      'burst',
      async (cm) => {
        const k = cm.metadata!.name!;
        running++;
        perKey.set(k, (perKey.get(k) ?? 0) + 1);
        if (perKey.get(k)! > 1) overlap = true;
        maxRunning = Math.max(maxRunning, running);
        // Simulated slow work inside the reconciler.
        await new Promise((r) => setTimeout(r, 150));
        perKey.set(k, perKey.get(k)! - 1);
        running--;
      },
      () => undefined,
      { concurrency: 2, debounceMs: 300 },
    );
    try {
      await waitUntil('the initial reconciles', () => new Set(seen.map((s) => s.name)).size === 6, { timeoutMs: 10_000 });
      const before = names(seen, 'b0').length;
      for (let i = 0; i < 10; i++) await cms().patch('b0', { type: 'merge', body: { data: { i: String(i) } } });
      await waitUntil('the burst to be reconciled', () => names(seen, 'b0').length > before, { timeoutMs: 10_000 });
      const settled = names(seen, 'b0').length;
      await waitUntil('the queue to drain', () => running === 0);
      expect(settled - before).toBeLessThanOrEqual(2);
      expect(overlap).toBe(false);
      expect(maxRunning).toBe(2);
    } finally {
      await stop();
    }
  });

  it('requeues on request and backs off per object after errors, with the error policy seeing the object', async () => {
    await cms().create({ metadata: { name: 'requeue', labels: { suite: 'retry' } } });
    await cms().create({ metadata: { name: 'failing', labels: { suite: 'retry' } } });
    const { seen, stop } = startController(
      'retry',
      async (cm) => {
        if (cm.metadata!.name === 'requeue') return names(seenRef, 'requeue').length < 3 ? Action.requeue(100) : Action.awaitChange();
        throw new Error('boom');
      },
      () => undefined,
      { errorBackoff: { initialMs: 50, maxMs: 10_000 } },
    );
    const seenRef = seen;
    try {
      await waitUntil('three requeued reconciles', () => names(seen, 'requeue').length === 3);
      expect(names(seen, 'requeue').map((s) => s.reason)).toEqual(['object-changed', 'requeue-requested', 'requeue-requested']);
      await waitUntil('five failed attempts', () => names(seen, 'failing').length >= 5, { timeoutMs: 15_000 });
      const f = names(seen, 'failing');
      expect(f.map((s) => s.failures).slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
      expect(f.slice(1, 5).map((s) => s.reason)).toEqual(['error-backoff', 'error-backoff', 'error-backoff', 'error-backoff']);
      const gaps = f.slice(1, 5).map((s, i) => s.at - f[i]!.at);
      // Delays double (with jitter between half and all of each step): 50–100, 100–200, 200–400, 400–800 ms.
      expect(gaps[3]!).toBeGreaterThan(gaps[0]! * 2);
      expect(gaps[3]!).toBeGreaterThanOrEqual(400);
    } finally {
      await stop();
    }
  });

  it('uses the error policy to decide retries', async () => {
    await cms().create({ metadata: { name: 'policy', labels: { suite: 'policy', retry: 'fast' } } });
    const ac = new AbortController();
    const policies: string[] = [];
    let attempts = 0;
    const ctl = new Controller(cms(), { watcher: { labelSelector: 'suite=policy' } });
    const done = ctl.run(
      async () => {
        attempts++;
        throw new Error(`attempt ${attempts}`);
      },
      (obj, err, ctx) => {
        policies.push(`${obj.metadata?.labels?.retry} ${(err as Error).message} ${ctx.failures}`);
        return ctx.failures < 2 ? Action.requeue(10) : Action.awaitChange();
      },
      { signal: ac.signal },
    );
    await waitUntil('three attempts', () => attempts === 3);
    ac.abort();
    await done;
    expect(policies).toEqual(['fast attempt 1 0', 'fast attempt 2 1', 'fast attempt 3 2']);
  });

  it('reconciles everything on a trigger, and shuts down gracefully', async () => {
    await Promise.all(['r1', 'r2'].map((n) => cms().create({ metadata: { name: n, labels: { suite: 'all' } } })));
    let fire!: () => void;
    const trigger = {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          await new Promise<void>((r) => (fire = r));
          yield undefined;
        }
      },
    };
    let finished = 0;
    const { seen, stop } = startController(
      'all',
      async (cm, s) => {
        if (s.reason === 'reconcile-all' && cm.metadata!.name === 'r1') {
          await new Promise((r) => setTimeout(r, 300));
          finished++;
        }
      },
      (c) => c.reconcileAllOn(trigger),
    );
    await waitUntil('the initial reconciles', () => seen.length === 2);
    fire();
    await waitUntil('reconcile-all to start', () => seen.filter((s) => s.reason === 'reconcile-all').length === 2);
    await stop();
    expect(finished).toBe(1);
  });

  it('adds a finalizer, runs cleanup on deletion, and lets the object go', async () => {
    await cms().create({ metadata: { name: 'fin', labels: { suite: 'fin' } } });
    const events: string[] = [];
    const { stop } = startController('fin', (cm) =>
      finalizer(cms(), 'ktx.test/cleanup', cm, async (ev) => {
        events.push(`${ev.type} ${ev.object.metadata?.name}`);
      }),
    );
    try {
      await waitUntil('the finalizer to be added', async () => (await cms().get('fin')).metadata?.finalizers?.includes('ktx.test/cleanup'));
      await waitUntil('an apply', () => events.includes('apply fin'));
      const uid = (await cms().get('fin')).metadata!.uid!;
      await cms().delete('fin');
      const gone = await awaitCondition(cms(), 'fin', conditions.isDeleted(uid), { timeoutMs: 15_000 });
      expect(gone).toBeUndefined();
      expect(events).toContain('cleanup fin');
    } finally {
      await stop();
    }
  });
});

describe('Controller: ignoreStatusOnlyChanges', () => {
  it('reconciles on spec changes but not on status-only writes', async () => {
    const api = Api.namespaced(client(), deployments, ns.name);
    const seen: string[] = [];
    const ac = new AbortController();
    const ctl = new Controller(api, { ignoreStatusOnlyChanges: true, watcher: { labelSelector: 'suite=gen' } });
    const done = ctl.run(async (d) => {
      seen.push(`gen ${d.metadata?.generation}`);
    }, undefined, { signal: ac.signal });
    try {
      const d = {
        metadata: { name: 'gen', labels: { suite: 'gen' } },
        spec: { replicas: 1, selector: { matchLabels: { app: 'gen' } }, template: { metadata: { labels: { app: 'gen' } }, spec: { containers: [{ name: 'm', image: 'registry.invalid/x:1' }] } } },
      } as Deployment;
      await api.create(d);
      // The deployment controller writes status several times while rolling out.
      await awaitCondition(api, 'gen', conditions.deploymentRolledOut(), { timeoutMs: 30_000 });
      await waitUntil('the first reconcile', () => seen.length >= 1);
      await api.scale('gen', 2);
      await awaitCondition(api, 'gen', conditions.deploymentRolledOut(), { timeoutMs: 30_000 });
      await waitUntil('the reconcile for generation 2', () => seen.includes('gen 2'));
      expect(seen).toEqual(['gen 1', 'gen 2']);
    } finally {
      ac.abort();
      await done;
    }
  });
});

describe('awaitCondition', () => {
  it('waits for a deployment to roll out, and times out with kubectl’s message', async () => {
    const api = Api.namespaced(client(), deployments, ns.name);
    await api.create({
      metadata: { name: 'rollout' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'rollout' } }, template: { metadata: { labels: { app: 'rollout' } }, spec: { containers: [{ name: 'm', image: 'registry.invalid/x:1' }] } } },
    } as Deployment);
    const done = await awaitCondition(api, 'rollout', conditions.deploymentRolledOut(), { timeoutMs: 30_000 });
    expect(done?.status?.availableReplicas).toBe(2);
    const err = await awaitCondition(cms(), 'never', conditions.isCreated(), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toBe('timed out waiting for the condition on configmaps/never');
  });
});
