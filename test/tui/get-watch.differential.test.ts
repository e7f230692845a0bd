// `ktx get -w` with stdout not a terminal against the reference kubectl: both run side by side on
// the same namespace, see the same changes, and must print the same bytes (AGE cells aside).
// Each run is synchronised on the watch request itself (-v=6 logs it) and ends at a sentinel:
// events arrive in order, so once both printed the sentinel they printed everything before it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectl, kubectlOk } from '../helpers/cluster.js';
import { normalise } from '../helpers/differential.js';
import { waitUntil } from '../helpers/wait.js';

interface Running {
  name: string;
  child: ResultPromise;
  stdout: string;
  stderr: string;
}

function start(name: 'ktx' | 'kubectl', args: string[]): Running {
  const [cmd, argv] = name === 'ktx' ? [process.execPath, [join(repoRoot, 'bin/ktx.js'), ...args]] : [cluster().kubectl, args];
  const child = execa(cmd, argv, { reject: false, timeout: 90_000, env: { KUBECONFIG: cluster().kubeconfig }, buffer: false });
  const r: Running = { name, child, stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (r.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (r.stderr += d.toString()));
  return r;
}

/** Runs ktx and kubectl with `args` (plus -v=6), waits until both watch, applies `change`, and returns both outputs once `done` holds for each. */
async function sideBySide(args: string[], change: () => Promise<void>, done: (stdout: string) => boolean): Promise<{ ktx: string; kubectl: string }> {
  const both = [start('ktx', [...args, '-v=6']), start('kubectl', [...args, '-v=6'])];
  try {
    for (const r of both) await waitUntil(`${r.name} to watch`, () => /[?&]watch=true/.test(r.stderr) || r.child.exitCode !== null);
    for (const r of both) expect(r.child.exitCode, `${r.name} exited early: ${r.stderr}`).toBeNull();
    await change();
    for (const r of both) await waitUntil(`${r.name} to print the sentinel`, () => done(r.stdout));
    return { ktx: both[0]!.stdout, kubectl: both[1]!.stdout };
  } finally {
    for (const r of both) r.child.kill('SIGTERM');
    await Promise.all(both.map((r) => r.child));
  }
}

/** A fresh namespace with one running pod, for one comparison. */
async function namespaceWithPod(): Promise<string> {
  const ns = `watchdiff-${randomBytes(3).toString('hex')}`;
  await kubectlOk(['create', 'namespace', ns]);
  await waitUntil('the default service account', async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', ns])).exitCode === 0);
  await kubectlOk(['run', 'first', '-n', ns, '--image=registry.invalid/x:1', '--labels=step=0']);
  await kubectlOk(['wait', '--for=condition=Ready', 'pod/first', '-n', ns, '--timeout=60s']);
  return ns;
}

/** A pod's whole life (create, run, delete), then a sentinel pod once it is gone. */
async function podLife(ns: string): Promise<void> {
  await kubectlOk(['run', 'second', '-n', ns, '--image=registry.invalid/x:1']);
  await kubectlOk(['wait', '--for=condition=Ready', 'pod/second', '-n', ns, '--timeout=60s']);
  await kubectlOk(['delete', 'pod', 'second', '-n', ns, '--wait=true']);
  await kubectlOk(['run', 'sentinel', '-n', ns, '--image=registry.invalid/x:1']);
}

/** Everything up to and including the first line that mentions `marker` (later lines depend on when each was killed). */
function upTo(text: string, marker: RegExp): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => marker.test(l));
  return i < 0 ? text : lines.slice(0, i + 1).join('\n');
}

const ages = (s: string) => normalise(s, { ages: true });
const cleanup = (ns: string) => kubectl(['delete', 'namespace', ns, '--wait=false']);

describe('get -w as a line stream, against kubectl', () => {
  it('plain -w: the list, then one row per event with remembered widths', async () => {
    const ns = await namespaceWithPod();
    try {
      const out = await sideBySide(['get', 'pods', '-w', '-n', ns], () => podLife(ns), (s) => /^sentinel\s/m.test(s));
      const mine = ages(upTo(out.ktx, /^sentinel\s/));
      expect(mine).toBe(ages(upTo(out.kubectl, /^sentinel\s/)));
      expect(mine).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nfirst\s/);
      expect(mine).toMatch(/^second\s.*Terminating/m);
    } finally {
      await cleanup(ns);
    }
  });

  it('--watch-only: no list, the header with the first event', async () => {
    const ns = await namespaceWithPod();
    try {
      const out = await sideBySide(['get', 'pods', '--watch-only', '-n', ns], () => podLife(ns), (s) => /^sentinel\s/m.test(s));
      const mine = ages(upTo(out.ktx, /^sentinel\s/));
      expect(mine).toBe(ages(upTo(out.kubectl, /^sentinel\s/)));
      expect(mine).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nsecond\s/);
      expect(mine).not.toMatch(/^first\s/m);
    } finally {
      await cleanup(ns);
    }
  });

  it('--output-watch-events: an EVENT column padded to 8', async () => {
    const ns = await namespaceWithPod();
    try {
      const out = await sideBySide(['get', 'pods', '-w', '--output-watch-events', '-n', ns], () => podLife(ns), (s) => /^ADDED\s+sentinel\s/m.test(s));
      const mine = ages(upTo(out.ktx, /\ssentinel\s/));
      expect(mine).toBe(ages(upTo(out.kubectl, /\ssentinel\s/)));
      expect(mine).toMatch(/^EVENT {6}NAME\s.*\nADDED {6}first\s/);
      expect(mine).toMatch(/^MODIFIED {3}second\s/m);
      expect(mine).toMatch(/^DELETED {4}second\s/m);
    } finally {
      await cleanup(ns);
    }
  });

  it('-o name -w: one name per object and per event', async () => {
    const ns = await namespaceWithPod();
    try {
      const out = await sideBySide(['get', 'pods', '-w', '-o', 'name', '-n', ns], () => podLife(ns), (s) => /^pod\/sentinel$/m.test(s));
      const mine = upTo(out.ktx, /^pod\/sentinel$/);
      expect(mine).toBe(upTo(out.kubectl, /^pod\/sentinel$/));
      expect(mine.split('\n')[0]).toBe('pod/first');
    } finally {
      await cleanup(ns);
    }
  });

  it('-o custom-columns -w: widths remembered from the list and grown by later events', async () => {
    const ns = await namespaceWithPod();
    try {
      const spec = 'custom-columns=NAME:.metadata.name,PHASE:.status.phase';
      const longer = async () => {
        await kubectlOk(['run', 'a-much-longer-name', '-n', ns, '--image=registry.invalid/x:1']);
        await kubectlOk(['wait', '--for=condition=Ready', 'pod/a-much-longer-name', '-n', ns, '--timeout=60s']);
        await kubectlOk(['run', 'sentinel', '-n', ns, '--image=registry.invalid/x:1']);
      };
      const out = await sideBySide(['get', 'pods', '-w', '-o', spec, '-n', ns], longer, (s) => /^sentinel\s+Running$/m.test(s));
      const mine = upTo(out.ktx, /^sentinel\s+Running$/);
      expect(mine).toBe(upTo(out.kubectl, /^sentinel\s+Running$/));
      // The longer name widened the NAME column; the shorter one after it keeps that width.
      expect(mine).toMatch(/^sentinel {13}Running$/m);
    } finally {
      await cleanup(ns);
    }
  });

  it('-o json -w: the same objects, in the same order, indented and without managedFields', async () => {
    const ns = await namespaceWithPod();
    try {
      // Until the sentinel's whole document is out: a pipe delivers a large write in pieces.
      const out = await sideBySide(['get', 'pods', '-w', '-o', 'json', '-n', ns], () => podLife(ns), (s) => /"name": "sentinel"[\s\S]*?\n\}\n/.test(s));
      const parse = (s: string) => {
        const objects = s
          .split(/(?<=^\})\n(?=\{)/m)
          .filter((d) => d.trim())
          .flatMap((d) => {
            try {
              return [JSON.parse(d) as { kind: string; metadata: { name: string; resourceVersion: string; managedFields?: unknown } }];
            } catch {
              return []; // a document cut off by the kill
            }
          });
        const end = objects.findIndex((o) => o.metadata.name === 'sentinel');
        return objects.slice(0, end + 1);
      };
      const mine = parse(out.ktx);
      const theirs = parse(out.kubectl);
      expect(mine.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`)).toEqual(theirs.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`));
      expect(mine[0]?.metadata.name).toBe('first');
      expect(mine.every((o) => o.metadata.managedFields === undefined)).toBe(true);
      // Byte for byte up to the first object, too (4-space indent, Go's key order).
      expect(out.ktx.slice(0, out.ktx.indexOf('\n}\n') + 3)).toBe(out.kubectl.slice(0, out.kubectl.indexOf('\n}\n') + 3));
    } finally {
      await cleanup(ns);
    }
  });

  it('a named object -w: that object only, with -L columns', async () => {
    const ns = await namespaceWithPod();
    try {
      const change = async () => {
        await kubectlOk(['label', 'pod', 'first', '-n', ns, 'step=1', '--overwrite']);
        await kubectlOk(['run', 'other', '-n', ns, '--image=registry.invalid/x:1']);
        await kubectlOk(['label', 'pod', 'first', '-n', ns, 'step=done', '--overwrite']);
      };
      const out = await sideBySide(['get', 'pod', 'first', '-w', '-L', 'step', '-n', ns], change, (s) => /\sdone$/m.test(s));
      const mine = ages(upTo(out.ktx, /\sdone$/));
      expect(mine).toBe(ages(upTo(out.kubectl, /\sdone$/)));
      expect(mine.split('\n')).toHaveLength(4);
      expect(mine).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+STEP\n/);
      expect(mine).not.toContain('other');
    } finally {
      await cleanup(ns);
    }
  });
});

describe('selectors, all namespaces, custom resources and `ktx watch`, against kubectl', () => {
  it('-A with a label selector: NAMESPACE column, other objects filtered out', async () => {
    const tag = randomBytes(3).toString('hex');
    const [ns1, ns2] = [`watchsel-a-${tag}`, `watchsel-b-${tag}`];
    try {
      for (const ns of [ns1, ns2]) await kubectlOk(['create', 'namespace', ns]);
      await kubectlOk(['create', 'configmap', 'listed', '-n', ns1]);
      await kubectlOk(['label', 'configmap', 'listed', '-n', ns1, `sel=${tag}`]);
      const change = async () => {
        await kubectlOk(['create', 'configmap', 'ignored', '-n', ns2]);
        await kubectlOk(['create', 'configmap', 'sentinel', '-n', ns2]);
        await kubectlOk(['label', 'configmap', 'sentinel', '-n', ns2, `sel=${tag}`]);
      };
      const args = ['get', 'configmaps', '-w', '-A', '-l', `sel=${tag}`];
      const out = await sideBySide(args, change, (s) => /\ssentinel\s/.test(s));
      const mine = ages(upTo(out.ktx, /\ssentinel\s/));
      expect(mine).toBe(ages(upTo(out.kubectl, /\ssentinel\s/)));
      expect(mine).toMatch(new RegExp(`^NAMESPACE\\s+NAME\\s+DATA\\s+AGE\n${ns1}\\s+listed\\s`));
      expect(mine).not.toContain('ignored');
    } finally {
      for (const ns of [ns1, ns2]) await cleanup(ns);
    }
  });

  it('a custom resource: its printer columns, and `ktx watch` prints the same stream as `kubectl get -w`', async () => {
    const tag = randomBytes(3).toString('hex');
    const group = `watch-${tag}.ktx.test`;
    const ns = await namespaceWithPod();
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
            additionalPrinterColumns: [
              { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
              { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            ],
          },
        ],
      },
    };
    const gadget = (name: string, size: number) => JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name, namespace: ns }, spec: { size } });
    try {
      await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(crd) });
      await kubectlOk(['wait', '--for=condition=established', `crd/gadgets.${group}`, '--timeout=30s']);
      await waitUntil('the gadget API', async () => (await kubectl(['apply', '-f', '-'], { input: gadget('small', 1) })).exitCode === 0);
      const change = async () => {
        await kubectlOk(['apply', '-f', '-'], { input: gadget('small', 2) });
        await kubectlOk(['apply', '-f', '-'], { input: gadget('sentinel', 100) });
      };
      const both = [start('ktx', ['watch', `gadgets.${group}`, '-n', ns, '-v=6']), start('kubectl', ['get', `gadgets.${group}`, '-w', '-n', ns, '-v=6'])];
      try {
        for (const r of both) await waitUntil(`${r.name} to watch`, () => /[?&]watch=true/.test(r.stderr) || r.child.exitCode !== null);
        for (const r of both) expect(r.child.exitCode, `${r.name} exited early: ${r.stderr}`).toBeNull();
        await change();
        for (const r of both) await waitUntil(`${r.name} to print the sentinel`, () => /^sentinel\s/m.test(r.stdout));
      } finally {
        for (const r of both) r.child.kill('SIGTERM');
        await Promise.all(both.map((r) => r.child));
      }
      const mine = ages(upTo(both[0]!.stdout, /^sentinel\s/));
      expect(mine).toBe(ages(upTo(both[1]!.stdout, /^sentinel\s/)));
      expect(mine.split('\n')).toEqual([expect.stringMatching(/^NAME\s+SIZE\s+AGE$/), expect.stringMatching(/^small\s+1\s/), expect.stringMatching(/^small\s+2\s/), expect.stringMatching(/^sentinel\s+100\s/)]);
    } finally {
      await kubectl(['delete', 'crd', `gadgets.${group}`, '--wait=false']);
      await cleanup(ns);
    }
  });
});

describe('get -w usage errors, against kubectl', () => {
  it.each([
    [['get', 'pods,services', '-w']],
    [['get', 'pods', '--output-watch-events']],
    [['get', '-w']],
    [['get', 'pod', 'no-such-pod', '-w']],
  ])('ktx %j fails as kubectl does', async (args) => {
    const [mine, theirs] = await Promise.all([
      execa(process.execPath, [join(repoRoot, 'bin/ktx.js'), ...args, '-n', 'default'], { reject: false, env: { KUBECONFIG: cluster().kubeconfig } }),
      execa(cluster().kubectl, [...args, '-n', 'default'], { reject: false, env: { KUBECONFIG: cluster().kubeconfig } }),
    ]);
    expect({ code: mine.exitCode, stderr: normalise(String(mine.stderr)), stdout: String(mine.stdout) }).toEqual({ code: theirs.exitCode, stderr: normalise(String(theirs.stderr)), stdout: String(theirs.stdout) });
  });

  it('--sort-by with -w warns that events are not sorted', async () => {
    const r = start('ktx', ['get', 'pods', '-w', '--sort-by=.metadata.name', '-n', 'kube-system']);
    try {
      await waitUntil('the warning', () => r.stderr.includes('warning: --watch requested, --sort-by will be ignored for watch events received\n'));
    } finally {
      r.child.kill('SIGTERM');
      await r.child;
    }
  });
});
