// The greeting-controller example against the real control plane: first in this process (through
// the built package, as a user would import it), then as the runnable program under leader election.
// Needs `npm run build`: the example imports 'ktx', which resolves to dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, applyCustomResourceDefinition, awaitCondition, Client, conditions, configMaps, leases } from 'ktx';
import { CONTROLLER_NAME, FINALIZER, runGreetingController, type ReconcileReport } from '../../examples/greeting-controller/controller.js';
import { Greeting } from '../../examples/greeting-controller/greeting.js';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { contextConfig } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('greeting');
// A Client of the built package: the example's Api and Controller classes come from there too.
const client = () => new Client(contextConfig('admin', { namespace: ns.name }));
const greetings = () => Greeting.api(client(), ns.name);
const cms = () => Api.namespaced(client(), configMaps, ns.name);

/** The Greeting once `check` holds for it (polled). */
const greetingWhen = (what: string, name: string, check: (g: Greeting) => boolean) =>
  waitUntil(what, async () => {
    const g = await greetings().get(name);
    return check(g) ? g : undefined;
  });
const isReady = (g: Greeting) => g.status?.phase === 'Ready' && g.status.observedGeneration === g.metadata.generation;

/** The core/v1 view of an Event, as `kubectl get events -o json` prints it. */
interface CoreEvent {
  type: string;
  reason: string;
  message?: string;
  involvedObject: { apiVersion?: string; kind?: string; name?: string; uid?: string };
  reportingComponent?: string;
  series?: { count: number };
}

async function kubectlEvents(greeting: string, reason: string): Promise<CoreEvent[]> {
  const selector = `involvedObject.kind=Greeting,involvedObject.name=${greeting},reason=${reason}`;
  return (JSON.parse(await kubectlOk(['get', 'events', '-n', ns.name, '--field-selector', selector, '-o', 'json'])) as { items: CoreEvent[] }).items;
}

// Greetings keep a finalizer: strip any left behind by a failed test, or the namespace could not go.
afterAll(async () => {
  for (const g of (await greetings().list()).items) {
    await greetings().patch(g.metadata.name!, { type: 'merge', body: { metadata: { finalizers: null } } }).catch(() => undefined);
  }
});

beforeAll(async () => {
  // Shared by every run and idempotent (server-side apply): nothing to clean up.
  await applyCustomResourceDefinition(client(), Greeting, { fieldManager: CONTROLLER_NAME });
});

describe('the greeting controller, in process', () => {
  const stop = new AbortController();
  const reports: ReconcileReport[] = [];
  const errors: unknown[] = [];
  let running: Promise<void>;
  const reportsFor = (name: string) => reports.filter((r) => r.name === name);

  beforeAll(() => {
    running = runGreetingController(client(), {
      namespace: ns.name,
      signal: stop.signal,
      onReconcile: (r) => reports.push(r),
      onError: (e) => errors.push(e),
      // Short delays keep the backoff test quick; they double as with the defaults (1 s to 5 min).
      errorBackoff: { initialMs: 200, maxMs: 10_000 },
    });
  });
  afterAll(async () => {
    stop.abort();
    await running;
  });

  it('writes an owned ConfigMap and reports Ready in the status', async () => {
    const created = await greetings().create(Greeting.new('hello', { name: 'World' }));
    const cm = await waitUntil('the ConfigMap', () => cms().getOpt('greeting-hello'));
    expect(cm.data).toEqual({ greeting: 'Hello, World!' });
    expect(cm.metadata?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'greeting-controller' });
    expect(cm.metadata?.ownerReferences).toEqual([
      { apiVersion: 'examples.ktx.dev/v1', kind: 'Greeting', name: 'hello', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    // Written with server-side apply, by the controller's field manager.
    expect((cm.metadata?.managedFields as Array<{ manager: string; operation: string }>).map((f) => `${f.manager} ${f.operation}`)).toContain(
      'greeting-controller Apply',
    );

    const ready = await greetingWhen('hello to be Ready', 'hello', isReady);
    expect(ready.status).toEqual({ phase: 'Ready', configMap: 'greeting-hello', observedGeneration: ready.metadata.generation });
    expect(ready.metadata.finalizers).toEqual([FINALIZER]);
    expect(reportsFor('hello').map((r) => r.reason.type)).toContain('object-changed');
    expect(reportsFor('hello').filter((r) => r.error !== undefined)).toEqual([]);
  });

  it('shows in kubectl get with its printer columns, short name and category', async () => {
    // A fresh discovery cache, so that kubectl knows the CRD however recently it was installed.
    const cacheDir = mkdtempSync(join(tmpdir(), 'ktx-kubectl-cache-'));
    try {
      const table = await kubectlOk(['get', 'greetings', '-n', ns.name, '--cache-dir', cacheDir]);
      expect(table).toMatch(/^NAME\s+RECIPIENT\s+PHASE\s+AGE\n/);
      expect(table).toMatch(/^hello\s+World\s+Ready\s+\d+s$/m);
      expect(await kubectlOk(['get', 'gr', 'hello', '-n', ns.name, '--cache-dir', cacheDir, '-o', 'name'])).toBe('greeting.examples.ktx.dev/hello');
      const inCategory = await kubectlOk(['get', 'examples', '-n', ns.name, '--cache-dir', cacheDir, '-o', 'name']);
      expect(inCategory.split('\n')).toContain('greeting.examples.ktx.dev/hello');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('records a Normal Reconciled Event about the Greeting', async () => {
    const uid = (await greetings().get('hello')).metadata.uid;
    const [event, ...more] = await waitUntil('a Reconciled event', async () => {
      const events = await kubectlEvents('hello', 'Reconciled');
      return events.length ? events : undefined;
    });
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'Normal',
      reason: 'Reconciled',
      message: 'Created ConfigMap greeting-hello: "Hello, World!"',
      involvedObject: { apiVersion: 'examples.ktx.dev/v1', kind: 'Greeting', name: 'hello', uid },
      reportingComponent: 'greeting-controller',
    });
  });

  it('updates the ConfigMap when the spec changes', async () => {
    const patched = await greetings().patch('hello', { type: 'merge', body: { spec: { message: 'Hi' } } });
    await waitUntil('the new greeting', async () => (await cms().get('greeting-hello')).data?.greeting === 'Hi, World!');
    const ready = await greetingWhen('hello to be Ready at the new generation', 'hello', isReady);
    expect(ready.status?.observedGeneration).toBe(patched.metadata.generation);
  });

  it('repairs an edited ConfigMap it owns', async () => {
    await cms().patch('greeting-hello', { type: 'merge', body: { data: { greeting: 'vandalised' } } });
    await waitUntil('the greeting to be restored', async () => (await cms().get('greeting-hello')).data?.greeting === 'Hi, World!');
    expect(reportsFor('hello').map((r) => r.reason.type)).toContain('related-object-changed');
  });

  it('backs off with growing delays while reconciles fail, and recovers when the spec is fixed', async () => {
    await greetings().create(Greeting.new('flaky', { name: 'Flaky' }));
    await greetingWhen('flaky to be Ready', 'flaky', isReady);
    const broken = await greetings().patch('flaky', { type: 'merge', body: { spec: { fail: true } } });

    const failing = await greetingWhen('flaky to be Failing', 'flaky', (g) => g.status?.phase === 'Failing');
    expect(failing.status).toEqual({
      phase: 'Failing',
      configMap: 'greeting-flaky',
      observedGeneration: broken.metadata.generation,
      message: 'spec.fail is set, so this reconcile fails',
    });
    // Five failed attempts: 200–400, 400–800, … ms apart after the first, about 3 s in all.
    await waitUntil('five failed attempts', () => reportsFor('flaky').filter((r) => r.error !== undefined).length >= 5, { timeoutMs: 20_000 });
    const failed = reportsFor('flaky').filter((r) => r.error !== undefined);
    expect(failed.map((r) => r.failures).slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    // The first failure's status write is itself a change, answered at once; from then on the
    // controller's per-object backoff decides, and its retries are what it said they would be.
    expect(failed.slice(2, 5).map((r) => r.reason.type)).toEqual(['error-backoff', 'error-backoff', 'error-backoff']);
    for (const [i, r] of failed.slice(0, 4).entries()) {
      const ceiling = 400 * 2 ** r.failures;
      expect(r.retryInMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(r.retryInMs).toBeLessThanOrEqual(ceiling);
      const next = failed[i + 1]!;
      if (next.reason.type === 'error-backoff') expect(next.startedAt - r.finishedAt).toBeGreaterThanOrEqual(r.retryInMs! - 20);
    }
    const gaps = failed.slice(1, 5).map((r, i) => r.startedAt - failed[i]!.finishedAt);
    expect(gaps[3]!).toBeGreaterThan(gaps[1]!);
    expect(gaps[3]!).toBeGreaterThanOrEqual(1600 - 20);

    // Every failure is a Warning; the Recorder folds them into one Event and counts them.
    const [warning, ...more] = await kubectlEvents('flaky', 'ReconcileFailed');
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ type: 'Warning', message: 'spec.fail is set, so this reconcile fails', reportingComponent: 'greeting-controller' });
    expect(warning!.series?.count).toBeGreaterThanOrEqual(5);

    const fixed = await greetings().patch('flaky', { type: 'merge', body: { spec: { fail: null } } });
    const ready = await greetingWhen('flaky to recover', 'flaky', isReady);
    // Server-side apply of the status dropped the `message` this field manager no longer sets.
    expect(ready.status).toEqual({ phase: 'Ready', configMap: 'greeting-flaky', observedGeneration: fixed.metadata.generation });
    expect(reportsFor('flaky').at(-1)).toMatchObject({ failures: 0, reason: { type: 'object-changed' } });
    expect(reportsFor('flaky').at(-1)?.error).toBeUndefined();
  });

  it('runs the finalizer cleanup before a deleted Greeting goes', async () => {
    await greetings().create(Greeting.new('doomed', { name: 'Doomed' }));
    const ready = await greetingWhen('doomed to be Ready', 'doomed', isReady);
    // Orphaning keeps the garbage collector away from the ConfigMap: only the cleanup deletes it.
    // The Greeting then also waits for the collector to remove its `orphan` finalizer, and the
    // collector notices a new CRD only at its next discovery resync (every 30 s), hence the time.
    const deletion = await greetings().delete('doomed', { propagationPolicy: 'Orphan' });
    expect(deletion.state).toBe('pending');
    await awaitCondition(greetings(), 'doomed', conditions.isDeleted(ready.metadata.uid), { timeoutMs: 60_000 });
    expect(await cms().getOpt('greeting-doomed')).toBeUndefined();
    expect(reportsFor('doomed').filter((r) => r.error !== undefined)).toEqual([]);
  }, 90_000);

  it('shuts down gracefully when its signal aborts', async () => {
    // Delete the remaining Greetings while the controller runs, so their finalizers are handled.
    for (const name of ['hello', 'flaky']) {
      const uid = (await greetings().get(name)).metadata.uid;
      await greetings().delete(name);
      await awaitCondition(greetings(), name, conditions.isDeleted(uid), { timeoutMs: 15_000 });
    }
    stop.abort();
    await expect(running).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe('the greeting controller program (main.ts)', () => {
  const start = () =>
    execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'examples/greeting-controller/main.ts')], {
      cwd: repoRoot,
      env: { KUBECONFIG: cluster().kubeconfig, GREETING_NAMESPACE: ns.name },
      reject: false,
      timeout: 120_000,
    });
  let program: ReturnType<typeof start> | undefined;
  afterAll(() => {
    if (program?.exitCode === null) program.kill('SIGKILL');
  });

  it('reconciles under leader election and exits with 0 on SIGTERM', async () => {
    const lines: string[] = [];
    program = start();
    program.stdout.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    program.stderr.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean).map((l) => `STDERR ${l}`)));
    await waitUntil('the program to lead', () => lines.some((l) => l.includes(' leading as ')), { timeoutMs: 30_000 });

    const lease = await Api.namespaced(client(), leases, ns.name).get('greeting-controller');
    expect(lease.spec?.holderIdentity).toBeTruthy();

    await greetings().create(Greeting.new('from-main', { name: 'Program', message: 'Howdy' }));
    await waitUntil('its ConfigMap', async () => (await cms().getOpt('greeting-from-main'))?.data?.greeting === 'Howdy, Program!');
    const ready = await greetingWhen('from-main to be Ready', 'from-main', isReady);
    await greetings().delete('from-main');
    await awaitCondition(greetings(), 'from-main', conditions.isDeleted(ready.metadata.uid), { timeoutMs: 15_000 });
    expect(await cms().getOpt('greeting-from-main')).toBeUndefined();
    expect(lines.some((l) => / reconciled .*\/from-main \(object-changed/.test(l))).toBe(true);

    program.kill('SIGTERM');
    const result = await program;
    expect(result.exitCode, lines.join('\n')).toBe(0);
    expect(lines.filter((l) => /STDERR|warning|error/.test(l))).toEqual([]);
    // Timestamps off; what matters is the order: the signal, leadership ends, the program ends.
    const messages = lines.map((l) => l.replace(/^\S+ /, ''));
    const sigterm = messages.indexOf('SIGTERM: shutting down');
    expect(sigterm).toBeGreaterThan(0);
    expect(messages.indexOf('stopped leading')).toBeGreaterThan(sigterm);
    expect(messages.at(-1)).toBe('stopped');
    // It released the Lease on the way out, so a standby replica would take over at once.
    expect((await Api.namespaced(client(), leases, ns.name).get('greeting-controller')).spec?.holderIdentity).toBeFalsy();
  });
});
