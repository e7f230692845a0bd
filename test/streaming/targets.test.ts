// Target resolution (kubectl's ActivePods ranking, container defaulting, selectors, port specs)
// as pure functions, and resolvePodTarget against the cluster, including the wait for a running pod.
import { describe, expect, it } from 'vitest';
import { checkUdpPorts, parseListenAddresses, parsePortSpecs, translatePortSpecs } from '../../src/lib/streaming/port-specs.js';
import { bestPod, byActivity, byLogging } from '../../src/lib/targets/active-pods.js';
import { defaultContainer } from '../../src/lib/targets/container.js';
import { resolvePodTarget } from '../../src/lib/targets/resolve.js';
import { labelSelectorString, podSelectorFor } from '../../src/lib/targets/selector.js';
import type { Pod, Service } from '../../src/lib/types/core/v1.js';
import { configMaps, deployments, services } from '../../src/lib/types/resources.js';
import { contextClient } from '../helpers/client.js';
import { kubectlOk, useNamespace } from '../helpers/cluster.js';
import { apply, deployment, readyPods } from './helpers.js';

const ns = useNamespace('targets');

function pod(name: string, o: { node?: string; phase?: string; readySince?: string; restarts?: number; created?: string } = {}): Pod {
  return {
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c' }], ...(o.node === '' ? {} : { nodeName: o.node ?? 'n1' }) },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      conditions: o.readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] : [],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, image: '', imageID: '', ready: !!o.readySince }],
    },
  };
}

describe('ActivePods ranking', () => {
  const names = (pods: Pod[], rank = byActivity) => [...pods].sort(rank).map((p) => p.metadata?.name);

  it('prefers assigned, then Running, then Ready, then ready longer, then fewer restarts, then older', () => {
    expect(names([pod('unassigned', { node: '' }), pod('assigned', { phase: 'Pending' })])).toEqual(['assigned', 'unassigned']);
    expect(names([pod('pending', { phase: 'Pending' }), pod('unknown', { phase: 'Unknown' }), pod('running')])).toEqual(['running', 'unknown', 'pending']);
    expect(names([pod('notready'), pod('ready', { readySince: '2026-01-01T00:00:05Z' })])).toEqual(['ready', 'notready']);
    expect(names([pod('recent', { readySince: '2026-01-01T00:10:00Z' }), pod('long', { readySince: '2026-01-01T00:01:00Z' })])).toEqual(['long', 'recent']);
    expect(names([pod('flaky', { restarts: 3 }), pod('steady', { restarts: 0 })])).toEqual(['steady', 'flaky']);
    expect(names([pod('young', { created: '2026-01-02T00:00:00Z' }), pod('old', { created: '2026-01-01T00:00:00Z' })])).toEqual(['old', 'young']);
    expect(names([pod('a'), pod('b')])).toEqual(['a', 'b']);
    expect(bestPod([])).toBeUndefined();
  });

  it('ranks Succeeded pods like Pending ones (kubectl map default), but for logs like Running ones', () => {
    expect(names([pod('done', { phase: 'Succeeded' }), pod('pending', { phase: 'Pending', created: '2025-01-01T00:00:00Z' })])).toEqual(['pending', 'done']);
    expect(names([pod('pending', { phase: 'Pending' }), pod('done', { phase: 'Succeeded' })], byLogging)).toEqual(['done', 'pending']);
  });
});

describe('defaultContainer', () => {
  const multi: Pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: {
      containers: [{ name: 'main' }, { name: 'sidecar' }],
      initContainers: [{ name: 'init' }],
      ephemeralContainers: [{ name: 'debug' }],
    },
  };

  it('picks the first container and says so when there are several', () => {
    expect(defaultContainer(multi)).toMatchObject({ name: 'main', notice: 'Defaulted container "main" out of: main, sidecar, debug (ephem), init (init)' });
    expect(defaultContainer({ spec: { containers: [{ name: 'only' }] } }).notice).toBeUndefined();
  });

  it('follows the default-container annotation silently, and -c exactly', () => {
    const annotated = { ...multi, metadata: { ...multi.metadata, annotations: { 'kubectl.kubernetes.io/default-container': 'sidecar' } } };
    expect(defaultContainer(annotated)).toEqual({ name: 'sidecar', kind: 'container', spec: { name: 'sidecar' } });
    expect(defaultContainer(multi, 'debug').kind).toBe('ephemeral');
    expect(() => defaultContainer(multi, 'nope')).toThrow('container nope not found in pod p');
  });
});

describe('selectors', () => {
  it('renders LabelSelectors as the apiserver reads them', () => {
    expect(
      labelSelectorString({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'gone', operator: 'DoesNotExist' },
          { key: 'c', operator: 'Exists' },
        ],
      }),
    ).toBe('a=1,b=2,c,env in (dev,prod),!gone');
  });

  it('refuses Services without a selector and kinds without pods, in kubectl words', () => {
    expect(() => podSelectorFor(services, { metadata: { name: 's' }, spec: {} } as Service)).toThrow("invalid service 's': Service is defined without a selector");
    expect(() => podSelectorFor(configMaps, { metadata: { name: 'c' } })).toThrow('cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented');
    expect(podSelectorFor(deployments, { spec: { selector: { matchLabels: { app: 'x' } } } } as never)).toBe('app=x');
  });
});

describe('port specs', () => {
  const target: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] } };
  const svc: Service = {
    metadata: { name: 's' },
    spec: { ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'num', port: 81, targetPort: 9090 }, { port: 82 }] },
  };

  it('translates named and Service ports as kubectl does', () => {
    expect(translatePortSpecs(['8080', 'http', ':http', '9000:http'], target)).toEqual(['8080', '8080', ':8080', '9000:8080']);
    expect(translatePortSpecs(['80', 'web', ':80', '81', '82'], target, svc)).toEqual(['80:8080', '80:8080', ':8080', '81:9090', '82']);
    expect(() => translatePortSpecs(['nope'], target)).toThrow("Pod 'p' does not have a named port 'nope'");
    expect(() => translatePortSpecs(['83'], target, svc)).toThrow('Service s does not have a service port 83');
    expect(() => checkUdpPorts(['dns'], target)).toThrow('UDP protocol is not supported for dns');
  });

  it('parses ports and addresses as client-go does', () => {
    expect(parsePortSpecs(['8080', '8888:5000', ':5000'])).toEqual([
      { local: 8080, remote: 8080 },
      { local: 8888, remote: 5000 },
      { local: 0, remote: 5000 },
    ]);
    expect(() => parsePortSpecs(['x:1'])).toThrow(`error parsing local port 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    expect(parseListenAddresses(['localhost', '10.0.0.1', '127.0.0.1']).map((a) => `${a.address}/${a.family}/${a.failureMode}`)).toEqual([
      '10.0.0.1/4/any',
      '127.0.0.1/4/any',
      '::1/6/all',
    ]);
  });
});

describe('resolvePodTarget', () => {
  const client = contextClient('admin');

  it('waits for a workload to have a running pod', async () => {
    await apply(deployment(ns.name, 'late', { replicas: 0 }));
    const resolving = resolvePodTarget(client, ns.name, 'deployment.apps/late', { podRunningTimeoutMs: 30_000 });
    await kubectlOk(['scale', 'deploy/late', '--replicas=1', '-n', ns.name]);
    const target = await resolving;
    expect(target.pod.status?.phase).toBe('Running');
    expect(target.selector).toBe('app=late');
    expect(await readyPods(ns.name, 'late')).toEqual([target.pod.metadata?.name]);
  });

  it('times out with kubectl`s message when no pod ever appears', async () => {
    await apply(deployment(ns.name, 'never', { replicas: 0 }));
    await expect(resolvePodTarget(client, ns.name, 'deploy/never', { podRunningTimeoutMs: 1500 })).rejects.toThrow('timed out waiting for the condition');
  });
});
