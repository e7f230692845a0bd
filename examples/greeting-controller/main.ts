// The greeting controller as a program:
//
//   node --import tsx examples/greeting-controller/main.ts
//
// It connects as kubectl would (KUBECONFIG, or the in-cluster service account), installs the
// Greeting CRD, and runs the controller while it holds the Lease `greeting-controller`, so that
// of several replicas exactly one reconciles. SIGINT or SIGTERM stop it gracefully: running
// reconciles finish, the Lease is released for the next replica, and the process exits with 0.
//
// GREETING_NAMESPACE limits the controller to one namespace and keeps the Lease there; without
// it, the controller reconciles Greetings in every namespace and the Lease lives in `default`.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { applyCustomResourceDefinition, Client, closeAllConnections, LeaderElector } from 'ktx';
import { CONTROLLER_NAME, runGreetingController, type ReconcileReport } from './controller.js';
import { Greeting } from './greeting.js';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function logReconcile(r: ReconcileReport): void {
  const what = `${r.namespace}/${r.name} (${r.reason.type}, ${r.finishedAt - r.startedAt} ms)`;
  if (r.error === undefined) log(`reconciled ${what}`);
  else log(`reconcile of ${what} failed, attempt ${r.failures + 1}: ${messageOf(r.error)}; retrying in ${r.retryInMs} ms`);
}

async function main(shutdown: AbortSignal): Promise<void> {
  const namespace = process.env.GREETING_NAMESPACE || undefined;
  const client = await Client.infer();

  // Installing the CRD from the program keeps definition and controller in step; it is a
  // server-side apply, so every replica may do it.
  await applyCustomResourceDefinition(client, Greeting, { fieldManager: CONTROLLER_NAME, signal: shutdown });
  log(`customresourcedefinition ${Greeting.name} is established`);

  // Unique per process: two candidates with one identity would both believe they lead.
  const identity = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const elector = new LeaderElector(client, {
    name: CONTROLLER_NAME,
    namespace: namespace ?? 'default',
    identity,
    // The controller runs while this candidate leads; `signal` aborts when leadership ends.
    onStartedLeading: (signal) => {
      log(`leading as ${identity}; reconciling Greetings in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`);
      return runGreetingController(client, { signal, onReconcile: logReconcile, onError: (e) => log(`warning: ${messageOf(e)}`), ...(namespace ? { namespace } : {}) });
    },
    onStoppedLeading: () => log('stopped leading'),
    onNewLeader: (holder) => holder !== identity && log(`${holder} leads; standing by`),
    onError: (e) => log(`leader election: ${messageOf(e)}`),
  });
  // A leader that could not renew the Lease in time steps down; stand again until told to stop.
  while (!shutdown.aborted) await elector.run(shutdown);
}

const shutdown = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: shutting down`);
    shutdown.abort();
  });
}

try {
  await main(shutdown.signal);
  log('stopped');
} catch (error) {
  // Interrupted while still starting up (applying the CRD) is a clean stop too.
  if (!shutdown.signal.aborted) {
    log(`error: ${messageOf(error)}`);
    process.exitCode = 1;
  }
} finally {
  // Idle keep-alive connections would otherwise hold the process open for a while.
  await closeAllConnections();
}
