// Proves, through the reference kubectl, that the local control plane is a real, working cluster.
import { connect } from 'node:net';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cluster, kubectl, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { NODE_NAMES } from './manifests.js';

const ns = useNamespace('cluster');

interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase?: string };
}

function deployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns.name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

async function runningPods(app: string): Promise<Pod[]> {
  const out = await kubectlOk(['get', 'pods', '-n', ns.name, '-l', `app=${app}`, '-o', 'json']);
  return (JSON.parse(out) as { items: Pod[] }).items.filter((p) => p.status.phase === 'Running');
}

async function onePod(app: string): Promise<string> {
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(deployment(app, 1)) });
  const pods = await waitUntil(`a running ${app} pod`, async () => {
    const p = await runningPods(app);
    return p.length === 1 ? p : undefined;
  });
  return pods[0]!.metadata.name;
}

describe('the local control plane', () => {
  it('has at least two Ready kwok nodes', async () => {
    const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'])) as {
      items: Array<{ metadata: { name: string; annotations?: Record<string, string> }; status: { conditions: Array<{ type: string; status: string }> } }>;
    };
    const ready = nodes.items.filter(
      (n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake' && n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(ready.map((n) => n.metadata.name).sort()).toEqual(NODE_NAMES);
  });

  it('reports the real Kubernetes version on both client and server', async () => {
    const v = JSON.parse(await kubectlOk(['version', '-o', 'json'])) as {
      clientVersion: { gitVersion: string; major: string; minor: string };
      serverVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(v.clientVersion.gitVersion).toBe('v1.34.4');
    expect(v.serverVersion.gitVersion).toBe('v1.34.4');
    expect(v.serverVersion).toMatchObject({ major: '1', minor: '34' });
  });

  it('runs a 3-replica Deployment as 3 Running pods on the kwok nodes', async () => {
    await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(deployment('web', 3)) });
    await kubectlOk(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout=60s']);
    const pods = await waitUntil('3 running web pods', async () => {
      const p = await runningPods('web');
      return p.length === 3 ? p : undefined;
    });
    for (const p of pods) expect(NODE_NAMES).toContain(p.spec.nodeName);
  });

  it('serves container logs, and logs -f sees a new line arrive', async () => {
    const pod = await onePod('logs');
    const out = await kubectlOk(['logs', pod, '-n', ns.name]);
    const numbers = [...out.matchAll(/^ktx test log line (\d+)$/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThan(0);
    const last = Math.max(...numbers);

    const follow = execa(cluster().kubectl, ['logs', '-f', '--tail=1', pod, '-n', ns.name], {
      env: { KUBECONFIG: cluster().kubeconfig },
      reject: false,
      buffer: false,
    });
    try {
      let seen = '';
      follow.stdout?.on('data', (d: Buffer) => (seen += d.toString()));
      await waitUntil('a new log line through logs -f', () =>
        [...seen.matchAll(/ktx test log line (\d+)/g)].some((m) => Number(m[1]) > last),
      { timeoutMs: 15_000 });
    } finally {
      follow.kill();
    }
  });

  it('runs exec commands in the sandbox and passes their exit codes through', async () => {
    const pod = await onePod('exec');
    const hi = await kubectl(['exec', pod, '-n', ns.name, '--', 'echo', 'hi']);
    expect({ code: hi.exitCode, out: hi.stdout }).toEqual({ code: 0, out: 'hi' });
    const three = await kubectl(['exec', pod, '-n', ns.name, '--', 'sh', '-c', 'exit 3']);
    expect(three.exitCode).toBe(3);
    expect(three.stderr).toContain('command terminated with exit code 3');
    const pwd = await kubectlOk(['exec', pod, '-n', ns.name, '--', 'pwd']);
    expect(pwd.trim()).toBe(cluster().sandboxDir);
  });

  it('port-forwards container port 8080 to the echo server', async () => {
    const pod = await onePod('echo');
    const pf = execa(cluster().kubectl, ['port-forward', '-n', ns.name, `pod/${pod}`, ':8080'], {
      env: { KUBECONFIG: cluster().kubeconfig },
      reject: false,
      buffer: false,
    });
    try {
      let out = '';
      pf.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      const port = await waitUntil('port-forward to listen', () => /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out)?.[1]);
      const payload = Buffer.from(`ping ${Date.now()} `.repeat(1000));
      // Port-forward carries no half-close, so the test ends the connection itself once all bytes are back.
      const echoed = await new Promise<Buffer>((res, rej) => {
        const chunks: Buffer[] = [];
        const sock = connect(Number(port), '127.0.0.1', () => sock.write(payload));
        sock.on('data', (c) => {
          chunks.push(c);
          if (Buffer.concat(chunks).length >= payload.length) {
            sock.destroy();
            res(Buffer.concat(chunks));
          }
        });
        sock.on('error', rej);
      });
      expect(echoed.equals(payload)).toBe(true);
    } finally {
      pf.kill();
    }
  });

  it('finishes deleting a namespace with objects in it', async () => {
    const name = `${ns.name}-gone`;
    await kubectlOk(['create', 'namespace', name]);
    await kubectlOk(['create', 'configmap', 'c', '-n', name, '--from-literal=a=b']);
    await kubectlOk(['delete', 'namespace', name, '--timeout=60s']);
    const r = await kubectl(['get', 'namespace', name]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`Error from server (NotFound): namespaces "${name}" not found`);
  });

  it('lets the limited user work in demo only, and the token user everywhere', async () => {
    const denied = await kubectl(['--context', 'limited', 'get', 'pods', '-n', 'default']);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toBe(
      'Error from server (Forbidden): pods is forbidden: User "limited" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const allowed = await kubectl(['--context', 'limited', 'get', 'configmaps', '-n', 'demo', '-o', 'name']);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain('configmap/kube-root-ca.crt');
    const whoami = JSON.parse(await kubectlOk(['--context', 'token-user', 'auth', 'whoami', '-o', 'json'])) as {
      status: { userInfo: { username: string; groups: string[] } };
    };
    expect(whoami.status.userInfo.username).toBe('token-user');
    expect(whoami.status.userInfo.groups).toContain('system:masters');
  });
});
