// ktx logs -f: one stream, and the stern-style selector follow (pods that appear are picked up,
// deleted ones dropped), prefixes and colours on a terminal, and how the process ends.
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { colourFor } from '../../src/lib/logs/format.js';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { ktx } from '../helpers/differential.js';
import { apply, expectConsecutive, lineNumbers, pod, runningPods, startKtx, startKubectl } from './helpers.js';

const ns = useNamespace('logsf');
const n = () => ['-n', ns.name];
const ktxBin = join(repoRoot, 'bin/ktx.js');

beforeAll(async () => {
  await apply(pod(ns.name, 'solo'), pod(ns.name, 'f-a', { labels: { app: 'f' } }), pod(ns.name, 'multi', { containers: ['main', 'sidecar'], initContainers: ['init'] }));
  await runningPods(ns.name, 'app=solo', 1);
  await runningPods(ns.name, 'app=f', 1);
  await runningPods(ns.name, 'app=multi', 1);
});

/** The numbers of the lines a prefix introduces, in order. */
const linesOf = (out: string, podName: string, container = 'main') =>
  lineNumbers(out.split('\n').filter((l) => l.startsWith(`[pod/${podName}/${container}] `)).join('\n'));

describe('ktx logs -f', () => {
  it('sees new lines arrive, in order, and exits 1 on SIGTERM as kubectl does', async () => {
    const mine = startKtx(['logs', '-f', 'solo', '--tail=1', ...n()]);
    const theirs = startKubectl(['logs', '-f', 'solo', '--tail=1', ...n()]);
    const first = (await mine.waitFor('a first line', (o) => lineNumbers(o)[0]))!;
    await mine.waitFor('two newer lines', (o) => lineNumbers(o).some((x) => x >= first + 2));
    expectConsecutive(lineNumbers(mine.stdout));
    await theirs.waitFor('a first line', (o) => lineNumbers(o).length > 0);
    const [a, b] = await Promise.all([mine.stop('SIGTERM'), theirs.stop('SIGTERM')]);
    expect(a.exitCode).toBe(b.exitCode);
    expect(a.stderr).toBe('');
  });

  it('--all-containers follows every container in parallel, one whole prefixed line at a time', async () => {
    const r = startKtx(['logs', '-f', 'multi', '--all-containers', '--tail=1', '--prefix', ...n()]);
    const start = (await r.waitFor('a main line', (o) => linesOf(o, 'multi')[0]))!;
    for (const c of ['init', 'main', 'sidecar']) {
      await r.waitFor(`two newer ${c} lines`, (o) => linesOf(o, 'multi', c).some((x) => x >= start + 2));
    }
    const done = await r.stop();
    for (const line of done.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^\[pod\/multi\/(init|main|sidecar)\] ktx test log line \d+$/);
    for (const c of ['init', 'main', 'sidecar']) expectConsecutive(linesOf(done.stdout, 'multi', c));
  });

  it('-l follows pods that appear after the start (within 5 s) and stops following deleted ones', async () => {
    const r = startKtx(['logs', '-f', '-l', 'app=f', '--prefix', ...n()]);
    await r.waitFor('f-a lines', (o) => linesOf(o, 'f-a').length > 0);

    const lastABefore = linesOf(r.stdout, 'f-a').at(-1)!;
    const created = Date.now();
    await apply(pod(ns.name, 'f-b', { labels: { app: 'f' } }));
    await r.waitFor('f-b lines', (o) => linesOf(o, 'f-b').length > 0, { timeoutMs: 5_000 });
    expect(Date.now() - created).toBeLessThan(5_000);
    await r.waitFor('the start notice of f-b', (e) => e.includes('+ [pod/f-b/main]\n'), { stream: 'stderr' });
    // A new pod is shown from its creation: the harness's lines of that second onwards, no older ones.
    // (creationTimestamp has whole seconds, so the line of the second before may be included).
    expect(linesOf(r.stdout, 'f-b')[0]).toBeGreaterThanOrEqual(lastABefore - 1);

    await kubectlOk(['delete', 'pod', 'f-b', '--wait=false', ...n()]);
    await r.waitFor('the stop notice of f-b', (e) => e.includes('- [pod/f-b/main]\n'), { stream: 'stderr' });
    const bAtStop = linesOf(r.stdout, 'f-b').length;
    const aAtStop = linesOf(r.stdout, 'f-a').at(-1)!;
    await r.waitFor('three more f-a lines', (o) => linesOf(o, 'f-a').some((x) => x >= aAtStop + 3));
    expect(linesOf(r.stdout, 'f-b')).toHaveLength(bAtStop);

    const done = await r.stop();
    expectConsecutive(linesOf(done.stdout, 'f-a'));
    expectConsecutive(linesOf(done.stdout, 'f-b'));
    expect(done.stderr).toBe('+ [pod/f-b/main]\n- [pod/f-b/main]\n');
  });

  it('-l with no pod yet says so, as kubectl, then waits for the first one', async () => {
    const r = startKtx(['logs', '-f', '-l', 'app=g', '--prefix', ...n()]);
    await r.waitFor('the notice', (e) => e.startsWith(`No resources found in ${ns.name} namespace.\n`), { stream: 'stderr' });
    await apply(pod(ns.name, 'g-1', { labels: { app: 'g' } }));
    await r.waitFor('g-1 lines', (o) => linesOf(o, 'g-1').length >= 2);
    const done = await r.stop();
    expectConsecutive(linesOf(done.stdout, 'g-1'));
  });

  it('a pod beyond --max-log-requests waits for a stream to end', async () => {
    await apply(pod(ns.name, 'h-1', { labels: { app: 'h' } }));
    await runningPods(ns.name, 'app=h', 1);
    const r = startKtx(['logs', '-f', '-l', 'app=h', '--prefix', '--max-log-requests=1', ...n()]);
    await r.waitFor('h-1 lines', (o) => linesOf(o, 'h-1').length > 0);
    await apply(pod(ns.name, 'h-2', { labels: { app: 'h' } }));
    await r.waitFor('the waiting notice', (e) => e.includes('[pod/h-2/main] waits for one to end'), { stream: 'stderr' });
    expect(linesOf(r.stdout, 'h-2')).toEqual([]);
    await kubectlOk(['delete', 'pod', 'h-1', '--wait=false', ...n()]);
    await r.waitFor('h-2 lines', (o) => linesOf(o, 'h-2').length > 0);
    const done = await r.stop();
    expect(done.stderr).toBe(
      'Warning: already following 1 log streams (--max-log-requests=1); [pod/h-2/main] waits for one to end\n- [pod/h-1/main]\n+ [pod/h-2/main]\n',
    );
  });
});

/** Runs ktx in a pseudo-terminal (util-linux `script`), returning what the terminal showed. */
async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, ktxBin, ...args].map((a) => `'${a}'`).join(' ');
  const r = await execa('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { KUBECONFIG: cluster().kubeconfig, TERM: 'xterm', ...env },
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    timeout: 30_000,
  });
  expect(r.exitCode, String(r.stdout)).toBe(0);
  return String(r.stdout).replace(/\r\n/g, '\n');
}

describe('ktx logs on a terminal', () => {
  const ESC = '\u001b[';

  it('prefixes several streams with a stable colour per pod and container', async () => {
    const args = ['logs', 'multi', '--all-containers', '--tail=1', ...n()];
    const [a, b] = [await onTerminal(args), await onTerminal(args)];
    expect(a).toContain(ESC);
    for (const c of ['init', 'main', 'sidecar']) {
      expect(a).toContain(`${ESC}${colourFor({ pod: 'multi', container: c })}m[pod/multi/${c}]${ESC}0m ktx test log line `);
    }
    // Same colours on every run.
    const colours = (t: string) => [...t.matchAll(new RegExp(`${ESC.replace('[', '\\[')}(\\d+)m\\[pod/multi/(\\w+)\\]`, 'g'))].map((m) => `${m[2]}=${m[1]}`);
    expect(colours(a)).toHaveLength(3);
    expect(colours(b)).toEqual(colours(a));
  });

  it('has no colours with NO_COLOR, but keeps the prefixes', async () => {
    const out = await onTerminal(['logs', 'multi', '--all-containers', '--tail=1', ...n()], { NO_COLOR: '1' });
    expect(out).not.toContain(ESC);
    expect(out).toMatch(/^\[pod\/multi\/init\] ktx test log line \d+$/m);
  });

  it('a single stream looks exactly as kubectl prints it (no prefix, no colour)', async () => {
    const out = await onTerminal(['logs', 'solo', '--tail=2', ...n()]);
    expect(out).toMatch(/^ktx test log line \d+\nktx test log line \d+\n$/);
  });

  it('--prefix=false turns the prefixes off', async () => {
    const out = await onTerminal(['logs', 'multi', '--all-containers', '--tail=1', '--prefix=false', ...n()]);
    expect(out).toMatch(/^(ktx test log line \d+\n){3}$/);
  });

  it('without a terminal, several streams are neither prefixed nor coloured (as kubectl)', async () => {
    const r = await ktx(['logs', 'multi', '--all-containers', '--tail=1', ...n()], { stripFinalNewline: false });
    expect(r.stdout).toMatch(/^(ktx test log line \d+\n){3}$/);
  });
});

describe('ktx logs | head', () => {
  it('ends quietly with the SIGPIPE status when its reader goes away, as kubectl', async () => {
    const run = (bin: string[]) =>
      execa('bash', ['-c', `set -o pipefail; ${bin.map((a) => `'${a}'`).join(' ')} logs solo -n ${ns.name} | head -1 >/dev/null`], {
        env: { KUBECONFIG: cluster().kubeconfig },
        extendEnv: true,
        reject: false,
      });
    const [mine, theirs] = await Promise.all([run([process.execPath, ktxBin]), run([cluster().kubectl])]);
    expect({ code: mine.exitCode, stderr: mine.stderr }).toEqual({ code: theirs.exitCode, stderr: theirs.stderr });
  });
});
