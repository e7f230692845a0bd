// The local control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok,
// started as background processes on 127.0.0.1 with their state under .cluster/.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { criLine } from './cri-log.js';
import { DEMO_NAMESPACE, kwokStageFiles, kwokStreamingConfig, nodeManifests, NODE_NAMES, rbacManifests } from './manifests.js';
import { createPki, LIMITED_USER, TOKEN_USER, type Pki } from './pki.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const clusterDir = process.env.KTX_CLUSTER_DIR ?? join(repoRoot, '.cluster');
const stateFile = join(clusterDir, 'state.json');

/** The components in start order; `down` stops them in reverse. */
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'sidecar', 'kwok', 'node-shim'] as const;
type Component = (typeof COMPONENTS)[number];

export interface ClusterState {
  server: string;
  kubeconfig: string;
  kubectl: string;
  /** `kubelet` is the fake nodes' kubelet port (the node shim); `kwok` is kwok's own server behind it. */
  ports: { etcd: number; etcdPeer: number; apiserver: number; kwok: number; kubelet: number; echo: number };
  pids: Partial<Record<Component, number>>;
  logFile: string;
  sandboxDir: string;
  startedAt: string;
  /** How each component was started, so `restart` can start it again the same way. */
  commands: Partial<Record<Component, { cmd: string; args: string[] }>>;
}

const log = (msg: string) => process.stderr.write(`[cluster] ${msg}\n`);

export function readState(): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

/** True when the process exists and has not exited (an unreaped zombie has exited). */
export function isLive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** True when a live process with this PID runs the command we started (PIDs get reused). */
function runs(pid: number | undefined, component: Component): boolean {
  if (!pid || !isLive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(component === 'sidecar' ? 'sidecar.ts' : component);
  } catch {
    return false;
  }
}

/**
 * A free port below Linux's ephemeral range (32768–60999): a port from that range can be taken
 * by some client's outgoing connection while a component restarts, and the restart then fails.
 */
async function freePort(taken: Set<number> = new Set()): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((res) => {
      const srv = createServer();
      srv.once('error', () => res(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, alive?: () => void) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    alive?.();
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** GET over HTTPS with the cluster CA; resolves with the status code and body. */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request(url, { ca, timeout: 5000 }, (r) => {
      let body = '';
      r.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout'))).on('error', rej).end();
  });
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const commands: ClusterState['commands'] = {};
// Processes this process started, and how those that ended did. Right after spawn, /proc's cmdline
// can still be node's (before the child's exec), so `runs` would call a starting component dead.
const started = new Map<Component, number>();
const exits = new Map<number, string>();

function start(component: Component, cmd: string, args: string[], pids: ClusterState['pids']): void {
  commands[component] = { cmd, args };
  const logPath = join(clusterDir, 'logs', `${component}.log`);
  const fd = openSync(logPath, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], cwd: repoRoot });
  if (!child.pid) throw new Error(`could not start ${component}`);
  started.set(component, child.pid);
  child.once('exit', (code, signal) => exits.set(child.pid!, signal ?? `exit code ${code}`));
  child.unref();
  pids[component] = child.pid;
  writeFileSync(join(clusterDir, 'pids.json'), JSON.stringify(pids));
}

function assertRunning(component: Component, pids: ClusterState['pids']): () => void {
  return () => {
    const pid = pids[component];
    const own = pid !== undefined && started.get(component) === pid;
    if (own ? exits.has(pid) : !runs(pid, component)) {
      const how = own ? ` (${exits.get(pid)})` : '';
      throw new Error(`${component} exited during startup${how}; last lines of .cluster/logs/${component}.log:\n${tail(join(clusterDir, 'logs', `${component}.log`))}`);
    }
  };
}

function buildBinaries(): { kube: string; etcd: string; kwok: string; shim: string } {
  const out = execFileSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const get = (k: string) => {
    const m = new RegExp(`^${k}=(.*)$`, 'm').exec(out);
    if (!m?.[1]) throw new Error(`build.sh did not report ${k}`);
    return m[1];
  };
  return { kube: get('KUBE_BIN'), etcd: get('ETCD_BIN'), kwok: get('KWOK_BIN'), shim: get('SHIM_BIN') };
}

function kwokModuleDir(): string {
  const out = execFileSync('go', ['mod', 'download', '-json', 'sigs.k8s.io/kwok'], { cwd: join(here, 'kwok'), encoding: 'utf8' });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

function kubeconfigYaml(server: string, pki: Pki, users: Array<'admin' | 'token-user' | 'limited'>): string {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  const userEntries: Record<string, object> = {
    admin: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) },
    [TOKEN_USER]: { token: pki.userToken },
    [LIMITED_USER]: { 'client-certificate-data': b64(pki.limitedCert), 'client-key-data': b64(pki.limitedKey) },
  };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: 'ktx-local', cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
    users: users.map((u) => ({ name: u, user: userEntries[u] })),
    contexts: users.map((u) => ({ name: u, context: { cluster: 'ktx-local', user: u } })),
    'current-context': 'admin',
  };
  return JSON.stringify(config, null, 2) + '\n';
}

function kubectl(state: Pick<ClusterState, 'kubectl' | 'kubeconfig'>, args: string[], input?: string): string {
  const r = spawnSync(state.kubectl, ['--kubeconfig', state.kubeconfig, ...args], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Placed as a hard link when the cache is on the same filesystem, else copied. */
function placeBinary(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

export async function isHealthy(state: ClusterState | undefined = readState()): Promise<boolean> {
  if (!state) return false;
  if (!COMPONENTS.every((c) => runs(state.pids[c], c))) return false;
  const ca = readFileSync(join(clusterDir, 'pki', 'ca.crt'), 'utf8');
  const r = await httpsGet(`${state.server}/readyz`, ca).catch(() => undefined);
  return r?.status === 200;
}

/** Starts the cluster, or reuses a healthy running one. Returns its state and whether it started it. */
export async function up(): Promise<{ state: ClusterState; started: boolean }> {
  const existing = readState();
  if (existing && (await isHealthy(existing))) {
    log(`reusing the running cluster at ${existing.server}`);
    return { state: existing, started: false };
  }
  if (existing || existsSync(join(clusterDir, 'pids.json'))) {
    log('found a stale or broken cluster; stopping it first');
    await down();
  }
  const t0 = Date.now();
  const bin = buildBinaries();
  const kwokMod = kwokModuleDir();

  rmSync(clusterDir, { recursive: true, force: true });
  for (const d of ['pki', 'logs', 'etcd', 'sandbox', 'bin', 'kwok']) mkdirSync(join(clusterDir, d), { recursive: true });
  const pki = createPki(join(clusterDir, 'pki'));
  const ports = { etcd: 0, etcdPeer: 0, apiserver: 0, kwok: 0, kubelet: 0, echo: 0 };
  const taken = new Set<number>();
  for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort(taken);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const pids: ClusterState['pids'] = {};
  const ca = readFileSync(pki.caCert, 'utf8');

  try {
    const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
    const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
    start('etcd', join(bin.etcd, 'etcd'), [
      '--name=default', `--data-dir=${join(clusterDir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`, '--unsafe-no-fsync=true', '--quota-backend-bytes=4294967296',
    ], pids);
    await waitFor('etcd /health', 30_000, async () => (await fetch(`${etcdUrl}/health`)).ok, assertRunning('etcd', pids));
    log(`etcd is up on ${etcdUrl}`);

    start('kube-apiserver', join(bin.kube, 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`, '--etcd-prefix=/registry',
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--cert-dir=${pki.dir}`,
      `--client-ca-file=${pki.caCert}`, `--token-auth-file=${pki.tokensCsv}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16', '--allow-privileged=true',
      '--endpoint-reconciler-type=none', '--kubelet-preferred-address-types=InternalIP,Hostname',
      '--profiling=false',
      // Extra flags for special-purpose clusters (e.g. `--watch-cache-sizes=configmaps#0` for 410 tests).
      ...(process.env.KTX_CLUSTER_APISERVER_ARGS?.split(' ').filter(Boolean) ?? []),
    ], pids);
    await waitFor('kube-apiserver /readyz', 120_000, async () => (await httpsGet(`${server}/readyz`, ca)).status === 200, assertRunning('kube-apiserver', pids));
    log(`kube-apiserver is ready on ${server}`);

    const kubeconfig = join(clusterDir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(server, pki, ['admin', TOKEN_USER, LIMITED_USER]), { mode: 0o600 });
    // The components get their own admin-only kubeconfig, so tests may edit .cluster/kubeconfig freely.
    const componentKubeconfig = join(pki.dir, 'admin.kubeconfig');
    writeFileSync(componentKubeconfig, kubeconfigYaml(server, pki, ['admin']), { mode: 0o600 });
    const kubectlPath = join(clusterDir, 'bin', 'kubectl');
    placeBinary(join(bin.kube, 'kubectl'), kubectlPath);
    const ctl = { kubectl: kubectlPath, kubeconfig: componentKubeconfig };

    start('kube-controller-manager', join(bin.kube, 'kube-controller-manager'), [
      `--kubeconfig=${componentKubeconfig}`, '--leader-elect=false', '--bind-address=127.0.0.1', '--secure-port=0',
      `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`, `--cluster-signing-key-file=${pki.caKey}`,
      '--kube-api-qps=1000', '--kube-api-burst=2000',
    ], pids);
    start('kube-scheduler', join(bin.kube, 'kube-scheduler'), [
      `--kubeconfig=${componentKubeconfig}`, '--leader-elect=false', '--bind-address=127.0.0.1', '--secure-port=0',
      '--kube-api-qps=1000', '--kube-api-burst=2000',
    ], pids);

    kubectl(ctl, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...nodeManifests(), ...rbacManifests()] }));

    const logFile = join(clusterDir, 'kwok', 'container.log');
    const previousLogFile = join(clusterDir, 'kwok', 'container-previous.log');
    const now = new Date();
    writeFileSync(previousLogFile, [1, 2, 3].map((i) => criLine(now, 'stdout', `ktx previous container line ${i}`)).join(''));
    writeFileSync(logFile, '');
    start('sidecar', process.execPath, ['--import', 'tsx', join(here, 'sidecar.ts'), logFile, String(ports.echo)], pids);

    const sandboxDir = join(clusterDir, 'sandbox');
    const streamingConfig = join(clusterDir, 'kwok', 'streaming.yaml');
    writeFileSync(streamingConfig, kwokStreamingConfig({ logFile, previousLogFile, echoPort: ports.echo }));
    // The nodes advertise the shim's port as their kubelet port; the shim serves exec and passes the rest to kwok.
    start('kwok', join(bin.kwok, 'kwok'), [
      `--kubeconfig=${componentKubeconfig}`, '--manage-all-nodes=true',
      ...kwokStageFiles(kwokMod).map((f) => `--config=${f}`), `--config=${streamingConfig}`,
      '--node-ip=127.0.0.1', '--node-name=localhost', `--node-port=${ports.kubelet}`,
      `--server-address=127.0.0.1:${ports.kwok}`, '--node-lease-duration-seconds=40', '--cidr=10.244.0.0/16',
    ], pids);
    start('node-shim', join(bin.shim, 'ktx-node-shim'), [
      `--listen=127.0.0.1:${ports.kubelet}`, `--kwok=http://127.0.0.1:${ports.kwok}`,
      `--tls-cert-file=${pki.kubeletCert}`, `--tls-private-key-file=${pki.kubeletKey}`,
      `--workdir=${sandboxDir}`, '--env=KTX_SANDBOX=1',
    ], pids);

    const everyoneAlive = () => COMPONENTS.forEach((c) => assertRunning(c, pids)());
    await waitFor(`nodes ${NODE_NAMES.join(', ')} to be Ready`, 120_000, () => {
      const out = kubectl(ctl, ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      const ready = out.split('\n').filter((s) => s === 'True').length;
      return ready >= NODE_NAMES.length;
    }, everyoneAlive);
    await waitFor('the default service account in namespace default', 120_000, () => {
      kubectl(ctl, ['get', 'serviceaccount', 'default', '-n', 'default']);
      kubectl(ctl, ['get', 'serviceaccount', 'default', '-n', DEMO_NAMESPACE]);
      return true;
    }, everyoneAlive);

    const state: ClusterState = {
      server,
      kubeconfig,
      kubectl: kubectlPath,
      ports,
      pids,
      logFile,
      sandboxDir,
      startedAt: new Date().toISOString(),
      commands,
    };
    writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
    log(`cluster is up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { state, started: true };
  } catch (err) {
    log('startup failed; stopping what was started');
    await stopPids(pids);
    throw err;
  }
}

async function stopPids(pids: ClusterState['pids']): Promise<void> {
  for (const c of [...COMPONENTS].reverse()) {
    const pid = pids[c];
    if (!pid || !runs(pid, c)) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue;
    }
    const gone = await waitFor(`${c} to exit`, 15_000, () => !runs(pid, c)).then(() => true, () => false);
    if (!gone) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await waitFor(`${c} to exit after SIGKILL`, 5_000, () => !runs(pid, c));
    }
  }
}

/** Stops every process by its recorded PID and removes the cluster's state. */
export async function down(): Promise<void> {
  let pids: ClusterState['pids'] = readState()?.pids ?? {};
  try {
    pids = { ...JSON.parse(readFileSync(join(clusterDir, 'pids.json'), 'utf8')), ...pids };
  } catch {
    /* no pid file */
  }
  await stopPids(pids);
  rmSync(clusterDir, { recursive: true, force: true });
}

/**
 * Restarts one component with its recorded command line: SIGKILL (`hard`, like a crash) or
 * SIGTERM, then start it again and wait until it is healthy. For disruption tests.
 */
export async function restart(component: Component, hard = true): Promise<ClusterState> {
  const state = readState();
  const command = state?.commands[component];
  if (!state || !command) throw new Error(`no running cluster with a recorded ${component}`);
  const pid = state.pids[component];
  if (pid && runs(pid, component)) {
    process.kill(pid, hard ? 'SIGKILL' : 'SIGTERM');
    await waitFor(`${component} to exit`, 15_000, () => !runs(pid, component));
  }
  // A killed process's leader thread turns zombie before its other threads have closed the
  // listening sockets; wait until its ports can be bound again.
  for (const port of componentPorts(component, state)) {
    await waitFor(`port ${port} to be free`, 15_000, () => canBind(port));
  }
  start(component, command.cmd, command.args, state.pids);
  const ca = readFileSync(join(clusterDir, 'pki', 'ca.crt'), 'utf8');
  if (component === 'kube-apiserver') {
    await waitFor('kube-apiserver /readyz', 120_000, async () => (await httpsGet(`${state.server}/readyz`, ca)).status === 200, assertRunning(component, state.pids));
  }
  writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
  return state;
}

function componentPorts(component: Component, state: ClusterState): number[] {
  switch (component) {
    case 'etcd':
      return [state.ports.etcd, state.ports.etcdPeer];
    case 'kube-apiserver':
      return [state.ports.apiserver];
    case 'kwok':
      return [state.ports.kwok];
    case 'node-shim':
      return [state.ports.kubelet];
    case 'sidecar':
      return [state.ports.echo];
    default:
      return [];
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** Names accepted by {@link restart}. */
export function isComponent(name: string): name is Component {
  return (COMPONENTS as readonly string[]).includes(name);
}

/** A human-readable account of what runs where. */
export async function status(): Promise<{ text: string; healthy: boolean }> {
  const state = readState();
  if (!state) return { text: 'no cluster (run: npm run cluster -- up)', healthy: false };
  const healthy = await isHealthy(state);
  const lines = [
    `cluster: ${healthy ? 'ready' : 'NOT healthy'}, started ${state.startedAt}`,
    `server:     ${state.server}`,
    `kubeconfig: ${state.kubeconfig} (contexts admin, ${TOKEN_USER}, ${LIMITED_USER})`,
    `kubectl:    ${state.kubectl}`,
    ...COMPONENTS.map((c) => `  ${c.padEnd(24)} pid ${String(state.pids[c] ?? '-').padEnd(8)} ${runs(state.pids[c], c) ? 'running' : 'stopped'}`),
    `ports: ${Object.entries(state.ports).map(([k, v]) => `${k}=${v}`).join(' ')}`,
  ];
  return { text: lines.join('\n'), healthy };
}
