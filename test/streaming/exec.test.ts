// ktx exec against the reference kubectl and the library's exec over v5 and v4, on kwok pods whose
// exec runs in the harness's sandbox directory.
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/lib/streaming/exec.js';
import { StreamStatusError } from '../../src/lib/streaming/errors.js';
import { contextClient } from '../helpers/client.js';
import { useNamespace } from '../helpers/cluster.js';
import { expectSameAsKubectl, ktx } from '../helpers/differential.js';
import { apply, deployment, payload, readyPods, service, sha256 } from './helpers.js';

const ns = useNamespace('exec');
let pod = '';
let multi = '';

beforeAll(async () => {
  await apply(
    deployment(ns.name, 'web'),
    deployment(ns.name, 'multi', { sidecar: true, initContainer: true }),
    deployment(ns.name, 'annotated', { sidecar: true, annotations: { 'kubectl.kubernetes.io/default-container': 'sidecar' } }),
    service(ns.name, 'web', 'web'),
  );
  [pod = ''] = await readyPods(ns.name, 'web');
  [multi = ''] = await readyPods(ns.name, 'multi');
  await readyPods(ns.name, 'annotated');
});

describe('ktx exec, compared with kubectl', () => {
  it('passes stdout, stderr and exit code 3 through', async () => {
    const r = await expectSameAsKubectl(['exec', pod, '-n', ns.name, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    // The shared helper's final-newline handling is its own business: compare without it.
    expect({ stdout: r.stdout.trimEnd(), stderr: r.stderr.trimEnd(), exitCode: r.exitCode }).toEqual({ stdout: 'out', stderr: 'err\ncommand terminated with exit code 3', exitCode: 3 });
  });

  it('exits 0 for a command that succeeds', async () => {
    const r = await expectSameAsKubectl(['exec', pod, '-n', ns.name, '--', 'sh', '-c', 'echo hello; exit 0']);
    expect({ stdout: r.stdout.trimEnd(), stderr: r.stderr, exitCode: r.exitCode }).toEqual({ stdout: 'hello', stderr: '', exitCode: 0 });
  });

  it('names the defaulted container of a multi-container pod as kubectl does', async () => {
    const r = await expectSameAsKubectl(['exec', multi, '-n', ns.name, '--', 'echo', 'hi']);
    expect(r.stderr.trimEnd()).toBe('Defaulted container "main" out of: main, sidecar, init (init)');
    await expectSameAsKubectl(['exec', multi, '-n', ns.name, '-q', '--', 'echo', 'hi']);
    await expectSameAsKubectl(['exec', 'deploy/annotated', '-n', ns.name, '--', 'echo', 'hi']);
  });

  it('refuses a command without `--`, and other bad invocations, in kubectl words', async () => {
    const r = await expectSameAsKubectl(['exec', pod, '-n', ns.name, 'ls']);
    expect(r.stderr).toContain('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
    await expectSameAsKubectl(['exec', pod, '-n', ns.name]);
    await expectSameAsKubectl(['exec', '-n', ns.name, '--', 'ls']);
    await expectSameAsKubectl(['exec', 'nope', '-n', ns.name, '--', 'ls']);
    await expectSameAsKubectl(['exec', 'cm/kube-root-ca.crt', '-n', ns.name, '--', 'ls']);
    await expectSameAsKubectl(['exec', pod, '-c', 'nope', '-n', ns.name, '--', 'ls']);
    await expectSameAsKubectl(['exec', pod, '-n', ns.name, '--', '/nonexistent']);
  });

  it('drops -t without -i, and says so for -it when stdin is not a terminal', async () => {
    await expectSameAsKubectl(['exec', '-t', pod, '-n', ns.name, '--', 'tty']);
    const r = await expectSameAsKubectl(['exec', '-it', pod, '-n', ns.name, '--', 'tty'], {}, { input: '' });
    expect(r.stderr).toContain('Unable to use a TTY - input is not a terminal or the right kind of file');
  });

  it('resolves deploy/NAME and svc/NAME to a pod of theirs', async () => {
    await expectSameAsKubectl(['exec', 'deploy/web', '-n', ns.name, '--', 'echo', 'via-deploy']);
    await expectSameAsKubectl(['exec', 'svc/web', '-n', ns.name, '--', 'echo', 'via-svc']);
    await expectSameAsKubectl(['exec', 'rs/nope', '-n', ns.name, '--', 'true']);
  });
});

describe('ktx exec -i', () => {
  it('pipes stdin through and ends when stdin ends', async () => {
    const r = await ktx(['exec', '-i', pod, '-n', ns.name, '--', 'cat'], { input: 'data\n' });
    expect({ stdout: r.stdout.trimEnd(), stderr: r.stderr, exitCode: r.exitCode }).toEqual({ stdout: 'data', stderr: '', exitCode: 0 });
  });

  it('carries 1 MB through cat unchanged', async () => {
    const data = payload(1 << 20);
    const r = await ktx(['exec', '-i', pod, '-n', ns.name, '--', 'sh', '-c', 'cat | sha256sum'], { input: data });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(sha256(data));
  });
});

describe('exec() in the library', () => {
  const client = contextClient('admin');
  const collect = () => {
    const s = new PassThrough();
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    return { s, text: () => Buffer.concat(chunks).toString() };
  };

  for (const protocol of ['auto', 'v4'] as const) {
    it(`returns output and exit codes over ${protocol === 'auto' ? 'v5' : 'forced v4'}`, async () => {
      const out = collect();
      const err = collect();
      const r = await exec(client, { namespace: ns.name, pod, command: ['sh', '-c', 'echo out; echo err >&2; exit 7'], stdout: out.s, stderr: err.s, protocol });
      expect(r.protocol).toBe(protocol === 'auto' ? 'v5.channel.k8s.io' : 'v4.channel.k8s.io');
      expect({ exitCode: r.exitCode, out: out.text(), err: err.text() }).toEqual({ exitCode: 7, out: 'out\n', err: 'err\n' });
      const ok = await exec(client, { namespace: ns.name, pod, command: ['true'], stdout: out.s, protocol });
      expect(ok.exitCode).toBe(0);
    });
  }

  it('ends stdin with the v5 close signal, with backpressure on a large input', async () => {
    const data = payload(8 << 20);
    const out = collect();
    const r = await exec(client, { namespace: ns.name, pod, command: ['sh', '-c', 'cat | sha256sum'], stdin: Readable.from([data.subarray(0, 3 << 20), data.subarray(3 << 20)]), stdout: out.s });
    expect(r.exitCode).toBe(0);
    expect(out.text().split(' ')[0]).toBe(sha256(data));
  });

  it('rejects with the server message when the command cannot run', async () => {
    const err = await exec(client, { namespace: ns.name, pod, command: ['/nonexistent'], stdout: collect().s }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamStatusError);
    expect((err as Error).message).toContain('no such file or directory');
  });
});
