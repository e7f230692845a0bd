// ktx logs against the reference kubectl on the same pods: stdout, stderr and exit codes, byte for byte.
// Every container's log is the harness's shared file, growing by one line a second; see
// expectSameLogs for how two reads of it are compared.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { ktx, refKubectl } from '../helpers/differential.js';
import { apply, deployment, expectSameLogs, lineNumbers, pod, runningPods } from './helpers.js';

const ns = useNamespace('logs');
const n = () => ['-n', ns.name];
let web: string[] = [];

beforeAll(async () => {
  await apply(
    pod(ns.name, 'solo'),
    pod(ns.name, 'two', { containers: ['main', 'sidecar'], initContainers: ['init'], labels: { app: 'two', tier: 'multi' } }),
    pod(ns.name, 'annotated', { containers: ['main', 'sidecar'], annotations: { 'kubectl.kubernetes.io/default-container': 'sidecar' } }),
    pod(ns.name, 'misannotated', { containers: ['main', 'sidecar'], annotations: { 'kubectl.kubernetes.io/default-container': 'gone' } }),
    deployment(ns.name, 'web', 2),
  );
  for (const app of ['solo', 'two', 'annotated', 'misannotated']) await runningPods(ns.name, `app=${app}`, 1);
  web = await runningPods(ns.name, 'app=web', 2);
});

describe('ktx logs POD, as kubectl', () => {
  it('prints the whole log', async () => {
    const r = await expectSameLogs(['logs', 'solo', ...n()]);
    expect(lineNumbers(r.stdout).length).toBeGreaterThan(1);
  });

  it.each([
    [['--tail=3']],
    [['--tail=0']],
    [['--timestamps', '--tail=2']],
    [['-p']],
    [['--previous', '--timestamps']],
    [['--limit-bytes=30']],
    [['--prefix', '--tail=2']],
    [['--since=1h', '--tail=1']],
    [['--since=90m', '--tail=1', '--timestamps']],
    [['--since-time=2000-01-01T00:00:00Z', '--tail=1']],
    [['--since-time=2999-01-01T00:00:00Z']],
    [['pod/solo', '--tail=2']],
  ])('logs solo %j', async (flags) => {
    const args = flags[0] === 'pod/solo' ? ['logs', ...flags] : ['logs', 'solo', ...flags];
    await expectSameLogs([...args, ...n()]);
  });

  it('--limit-bytes cuts the first line mid-way, with no newline added', async () => {
    const r = await expectSameLogs(['logs', 'solo', '--limit-bytes=30', ...n()]);
    expect(r.stdout).toBe('ktx test log line 1\nktx test l');
  });

  it('-c, the legacy CONTAINER argument, and the default container with its notice', async () => {
    await expectSameLogs(['logs', 'two', '-c', 'main', '--tail=2', ...n()]);
    await expectSameLogs(['logs', 'two', 'sidecar', '--tail=2', ...n()]);
    const defaulted = await expectSameLogs(['logs', 'two', '--tail=1', ...n()]);
    expect(defaulted.stderr).toBe('Defaulted container "main" out of: main, sidecar, init (init)\n');
    await expectSameLogs(['logs', 'two', '-c', 'init', '--tail=1', '--prefix', ...n()]);
  });

  it('the default-container annotation, and its notice when it names no container', async () => {
    const annotated = await expectSameLogs(['logs', 'annotated', '--tail=1', '--prefix', ...n()]);
    expect(annotated.stdout).toMatch(/^\[pod\/annotated\/sidecar\] /);
    const mis = await expectSameLogs(['logs', 'misannotated', '--tail=1', ...n()]);
    expect(mis.stderr).toBe('Default container name "gone" not found in pod misannotated\nDefaulted container "main" out of: main, sidecar\n');
  });

  it('--all-containers: the same lines as kubectl, in a fixed order (init, then containers)', async () => {
    const args = ['logs', 'two', '--all-containers', '--tail=2', '--prefix', ...n()];
    // kubectl reads the containers in Go map order, so only the set of lines can match.
    await expectSameLogs(args, { unordered: true });
    const [a, b] = await Promise.all([ktx(args), ktx(args)]);
    const order = (out: string) => [...new Set([...out.matchAll(/^\[pod\/two\/(\w+)\]/gm)].map((m) => m[1]))];
    expect(order(a.stdout)).toEqual(['init', 'main', 'sidecar']);
    expect(order(b.stdout)).toEqual(['init', 'main', 'sidecar']);
    // Each container's lines stay together (sequential reads, not interleaved).
    expect([...a.stdout.matchAll(/^\[pod\/two\/(\w+)\]/gm)].map((m) => m[1])).toEqual(['init', 'init', 'main', 'main', 'sidecar', 'sidecar']);
  });
});

describe('ktx logs TYPE/NAME and -l, as kubectl', () => {
  it('deploy/NAME picks one pod by ByLogging and says so on stderr', async () => {
    const r = await expectSameLogs(['logs', 'deploy/web', '--tail=2', ...n()]);
    expect(r.stderr).toMatch(new RegExp(`^Found 2 pods, using pod/(${web.join('|')})\\n$`));
    await expectSameLogs(['logs', 'deployment.apps/web', '--tail=1', '--prefix', ...n()]);
  });

  it('--all-pods and -l read every pod (kubectl in random order, ktx by name)', async () => {
    const allPods = await expectSameLogs(['logs', 'deploy/web', '--all-pods', '--tail=1', ...n()], { unordered: true });
    expect(allPods.stdout).toMatch(new RegExp(`^\\[pod/${web[0]}/main\\] .*\\n\\[pod/${web[1]}/main\\] `));
    const selected = await expectSameLogs(['logs', '-l', 'app=web', '--prefix', ...n()], { unordered: true });
    // With a selector the tail defaults to 10 lines per pod.
    expect(selected.stdout.split('\n').filter(Boolean)).toHaveLength(20);
    await expectSameLogs(['logs', '-l', 'app=web', '--tail=1', ...n()], { unordered: true });
    await expectSameLogs(['logs', '-l', 'tier=multi', '--tail=1', ...n()]);
    await expectSameLogs(['logs', '-l', 'app=nothing', ...n()]);
  });

  it('refuses to follow more streams than --max-log-requests', async () => {
    await expectSameLogs(['logs', '-l', 'app=web', '-f', '--max-log-requests=1', ...n()]);
    await expectSameLogs(['logs', 'two', '--all-containers', '-f', '--max-log-requests=2', ...n()]);
  });
});

describe('ktx logs errors, as kubectl', () => {
  it.each([
    [['logs', 'nope']],
    [['logs', 'deploy/nope']],
    [['logs', 'two', '-c', 'nope']],
    [['logs', 'two', 'nope']],
    [['logs', 'configmap/kube-root-ca.crt']],
    [['logs', 'nosuchtype/x']],
    [['logs', 'a/b/c']],
    [['logs']],
    [['logs', 'solo', 'main', 'extra']],
    [['logs', '-l', 'app=solo', 'solo']],
    [['logs', 'two', 'main', '-c', 'main']],
    [['logs', 'two', 'nope', '-c', 'main']],
    [['logs', 'nope', '-c', 'main', '--all-containers']],
    [['logs', '-l', 'app=two', '-c', 'nope']],
    [['logs', 'two', '-c', 'main', '--all-containers']],
    [['logs', 'solo', '--since=1h', '--since-time=2024-01-01T00:00:00Z']],
    [['logs', 'solo', '--tail=-2']],
    [['logs', 'solo', '--limit-bytes=-1']],
    [['logs', 'solo', '--since=-1s']],
    [['logs', 'solo', '--since=bad']],
    [['logs', 'solo', '--since=5']],
    [['logs', 'solo', '--since=5x']],
    [['logs', 'solo', '--tail=x']],
    [['logs', 'solo', '--max-log-requests=x']],
    [['logs', 'solo', '--pod-running-timeout=0']],
    [['logs', 'solo', '--since-time=bad']],
    [['logs', 'solo', '--since-time=2024-13-01T00:00:00Z']],
    [['logs', 'solo', '--since-time=2024-02-30T00:00:00Z']],
    [['logs', 'solo', '--since-time=2024-01-01T00:00:00']],
    [['logs', 'solo', '--since-time=2024-01-01T00:00:00Zjunk']],
    [['logs', 'solo', '--since-time=2024-01-01 00:00:00Z']],
  ])('%j', async (args) => {
    const r = await expectSameLogs([...args, ...n()]);
    expect(r.exitCode).toBe(1);
  });

  it('a failing stream ends the command, unless --ignore-errors reports it on stdout and goes on', async () => {
    // A pod bound to a node that does not exist: the apiserver cannot reach a kubelet for its log.
    await apply({ ...(pod(ns.name, 'ghost', { labels: { group: 'mixed' } }) as { spec: object }), spec: { nodeName: 'ghost', containers: [{ name: 'main', image: 'x' }] } });
    await apply(pod(ns.name, 'solo', { labels: { app: 'solo', group: 'mixed' } }));
    await expectSameLogs(['logs', 'ghost', ...n()]);
    const ignored = await expectSameLogs(['logs', '-l', 'group=mixed', '--tail=1', '--ignore-errors', ...n()], { unordered: true });
    expect(ignored.stdout).toMatch(/^error: pods "ghost" not found\nktx test log line \d+\n$/);
    // Without --ignore-errors kubectl stops at the failing stream, which it may or may not have read
    // first (map order); ktx reads by name, so ghost comes first.
    const [mine, theirs] = await Promise.all([ktx(['logs', '-l', 'group=mixed', '--tail=1', ...n()]), refKubectl(['logs', '-l', 'group=mixed', '--tail=1', ...n()])]);
    expect({ stderr: mine.stderr, exitCode: mine.exitCode, stdout: mine.stdout }).toEqual({ stderr: theirs.stderr, exitCode: 1, stdout: '' });
  });
});
