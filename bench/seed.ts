// Seeds the private cluster: namespaces full of pods that kwok's fake nodes run. Pods are bound to
// a node at creation (spec.nodeName), so the scheduler is not in the way; kwok makes them Running.
import { Api } from '../src/lib/api/api.js';
import type { Client } from '../src/lib/client.js';
import { namespaces, pods } from '../src/lib/types/resources.js';
import type { Pod } from '../src/lib/types/index.js';
import { log, sleep } from './util.js';

const NODES = ['kwok-node-0', 'kwok-node-1'];

/** A pod shaped like a real one: labels, an annotation, one container with ports, env, resources and probes. */
export function benchPod(namespace: string, i: number): Pod {
  const name = `web-${String(i).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'web', tier: 'frontend', 'bench.ktx.dev/shard': String(i % 10) },
      annotations: { 'bench.ktx.dev/seeded': 'true' },
    },
    spec: {
      nodeName: NODES[i % NODES.length]!,
      containers: [
        {
          name: 'web',
          image: 'registry.example/web:1.2.3',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'production' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
        },
      ],
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
    },
  } as Pod;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Creates `count` pods spread over `namespaceNames` and waits until all of them are Running. */
export async function seedPods(client: Client, namespaceNames: string[], count: number): Promise<void> {
  const started = Date.now();
  for (const ns of namespaceNames) {
    await Api.cluster(client, namespaces)
      .create({ metadata: { name: ns } })
      .catch((e: unknown) => {
        if ((e as { code?: number }).code !== 409) throw e;
      });
  }
  const jobs = Array.from({ length: count }, (_, i) => ({ ns: namespaceNames[i % namespaceNames.length]!, i }));
  await pool(jobs, 32, async ({ ns, i }) => {
    await Api.namespaced(client, pods, ns)
      .create(benchPod(ns, i))
      .catch((e: unknown) => {
        if ((e as { code?: number }).code !== 409) throw e;
      });
  });
  log(`created ${count} pods in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for kwok to run them`);
  for (let waited = 0; ; waited += 2) {
    let pending = 0;
    for (const ns of namespaceNames) {
      for await (const p of Api.namespaced(client, pods, ns).listAll({ fieldSelector: 'status.phase!=Running', limit: 2000 })) {
        void p;
        pending++;
      }
    }
    if (pending === 0) break;
    if (waited > 600) throw new Error(`${pending} pods still not Running after 10 minutes`);
    if (waited % 10 === 0) log(`${pending} pods not Running yet`);
    await sleep(2000);
  }
  log(`${count} pods Running after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
