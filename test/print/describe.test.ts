// The describe formatter behind the explorer's `d`: kubectl's layout for pods, workloads,
// services and other objects, and the Events table.
import { describe, expect, it } from 'vitest';
import { alignTabs, describeObject, eventAge, eventSource, rfc1123z, selectorText, type DescribeEvent } from '../../src/ui/print/describe.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    uid: 'u1',
    creationTimestamp: ago(600),
    labels: { app: 'web', 'pod-template-hash': 'abc' },
    ownerReferences: [{ apiVersion: 'apps/v1', uid: 'rs', kind: 'ReplicaSet', name: 'web-abc', controller: true }],
  },
  spec: {
    nodeName: 'kwok-node-0',
    serviceAccountName: 'default',
    priority: 0,
    containers: [
      { name: 'web', image: 'nginx:1', ports: [{ containerPort: 8080, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'prod' }] },
      { name: 'sidecar', image: 'busybox' },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '10.0.0.1',
    podIP: '10.244.0.5',
    startTime: ago(590),
    qosClass: 'BestEffort',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False' },
    ],
    containerStatuses: [
      { name: 'web', image: 'nginx:1', imageID: 'sha', ready: true, restartCount: 2, state: { running: { startedAt: ago(500) } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(510) } } },
      { name: 'sidecar', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
    ],
  },
};

const events: DescribeEvent[] = [
  { type: 'Normal', reason: 'Started', message: 'Started container web', count: 1, firstTimestamp: ago(30), lastTimestamp: ago(30), source: { component: 'kubelet', host: 'kwok-node-0' } },
  { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned shop/web-1 to kwok-node-0', eventTime: ago(590), reportingComponent: 'default-scheduler', source: {} },
  { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image\n"busybox"', count: 5, firstTimestamp: ago(400), lastTimestamp: ago(60), source: { component: 'kubelet' } },
];

describe('describeObject', () => {
  it('describes a pod the way kubectl leads: identity, node, labels, status, containers, conditions, events', () => {
    const lines = describeObject(pod, events, NOW);
    const text = lines.join('\n');
    // Top-level keys share one column (the widest key + 2).
    expect(lines.slice(0, 5)).toEqual(['Name:             web-1', 'Namespace:        shop', 'Priority:         0', 'Service Account:  default', 'Node:             kwok-node-0/10.0.0.1']);
    expect(text).toContain(`Start Time:       ${rfc1123z(ago(590))}`);
    expect(text).toContain('Labels:           app=web\n                  pod-template-hash=abc');
    expect(text).toContain('Annotations:      <none>');
    expect(text).toContain('Status:           Running');
    expect(text).toContain('IP:               10.244.0.5');
    expect(text).toContain('Controlled By:    ReplicaSet/web-abc');
    expect(text).toContain('Containers:\n  web:\n');
    expect(text).toMatch(/^ {4}Image: +nginx:1$/m);
    expect(text).toMatch(/^ {4}Port: +8080\/TCP$/m);
    expect(text).toMatch(/^ {4}State: +Running$/m);
    expect(text).toMatch(/^ {6}Started: +\S/m);
    expect(text).toMatch(/^ {4}Last State: +Terminated$/m);
    expect(text).toMatch(/^ {6}Exit Code: +1$/m);
    expect(text).toMatch(/^ {4}Ready: +True$/m);
    expect(text).toMatch(/^ {4}Restart Count: +2$/m);
    expect(text).toMatch(/^ {6}MODE: +prod$/m);
    expect(text).toMatch(/^ {4}State: +Waiting$/m);
    expect(text).toMatch(/^ {6}Reason: +ImagePullBackOff$/m);
    // As in kubectl, the conditions share their first column with the keys after them.
    expect(text).toMatch(/^Conditions:\n {2}Type {11}Status\n {2}PodScheduled {3}True \n {2}Ready {10}False \nQoS Class: {7}BestEffort$/m);
    expect(text).toContain('QoS Class:');
  });

  it('ends in an Events table sorted by last occurrence, with kubectl ages and sources', () => {
    const lines = describeObject(pod, events, NOW);
    const at = lines.indexOf('Events:');
    expect(at).toBeGreaterThan(0);
    const table = lines.slice(at + 1).map((l) => l.trim().split(/ {2,}/));
    expect(table).toEqual([
      ['Type', 'Reason', 'Age', 'From', 'Message'],
      ['----', '------', '----', '----', '-------'],
      ['Normal', 'Scheduled', '9m50s', 'default-scheduler', 'Successfully assigned shop/web-1 to kwok-node-0'],
      ['Warning', 'BackOff', '60s (x5 over 6m40s)', 'kubelet', 'Back-off pulling image "busybox"'],
      ['Normal', 'Started', '30s', 'kubelet, kwok-node-0', 'Started container web'],
    ]);
    // Every column starts at the same offset on every line.
    const starts = (l: string) => [...l.matchAll(/(?<= {2})\S/g)].map((m) => m.index);
    const header = lines[at + 1]!;
    expect(starts(lines[at + 4]!).slice(0, 4)).toEqual(starts(header).slice(0, 4));
  });

  it('says <none> without events', () => {
    expect(describeObject(pod, [], NOW).at(-1)).toMatch(/^Events: +<none>$/);
  });

  it('describes a deployment with its replicas, selector, template and conditions', () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', creationTimestamp: ago(3600), annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
      status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
    };
    const text = describeObject(deploy, [], NOW).join('\n');
    expect(text).toMatch(/^Name: +web$/m);
    expect(text).toMatch(/^Namespace: +shop$/m);
    expect(text).toMatch(/^CreationTimestamp: +\w{3}, /m);
    expect(text).toMatch(/^Selector: +app=web,tier in \(a,b\)$/m);
    expect(text).toMatch(/^Annotations: +deployment.kubernetes.io\/revision=1$/m);
    expect(text).toMatch(/^Replicas: +3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
    expect(text).toMatch(/^ {4}web:\n {6}Image: +nginx:1$/m);
    expect(text).toMatch(/^ {2}Available +False +MinimumReplicasUnavailable$/m);
  });

  it('describes a StatefulSet, a Service and anything else', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, selector: { matchLabels: { app: 'db' } } }, status: { replicas: 1, readyReplicas: 1 } };
    let text = describeObject(sts, [], NOW).join('\n');
    expect(text).toMatch(/^Replicas: +2 desired \| 1 total$/m);
    expect(text).toMatch(/^Pods Status: +1 Ready$/m);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    text = describeObject(svc, [], NOW).join('\n');
    expect(text).toMatch(/^Selector: +app=web$/m);
    expect(text).toMatch(/^IP: +10\.96\.0\.10$/m);
    expect(text).toMatch(/^Port: +<unset> {2}80\/TCP$/m);
    expect(text).toMatch(/^TargetPort: +8080\/TCP$/m);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop', creationTimestamp: ago(5) }, data: { a: 'b' } };
    expect(describeObject(cm, [], NOW)).toEqual(['Name:               cfg', 'Namespace:          shop', 'Labels:             <none>', 'Annotations:        <none>', `CreationTimestamp:  ${rfc1123z(ago(5))}`, 'Events:             <none>']);
  });
});

describe('describe helpers', () => {
  it('aligns tab-terminated cells per block of contiguous lines (Go tabwriter, padding 2)', () => {
    expect(alignTabs('a:\tx\nlonger:\ty\nBlock:\n  k:\tv\n')).toEqual(['a:       x', 'longer:  y', 'Block:', '  k:  v']);
    expect(alignTabs('x\t\n\tcontinued\n')).toEqual(['x  ', '   continued']);
  });

  it('formats timestamps as Go RFC1123Z in local time', () => {
    const s = rfc1123z('2024-01-02T12:04:05Z');
    expect(s).toMatch(/^(Mon|Tue|Wed), 0[123] Jan 2024 \d\d:\d4:05 [+-]\d{4}$/);
    const m = /(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(s)!;
    const offset = (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
    expect((((Number(m[1]) * 60 + Number(m[2]) - offset) % 1440) + 1440) % 1440).toBe(12 * 60 + 4);
  });

  it('renders selectors, ages and sources as kubectl does', () => {
    expect(selectorText({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist' }, { key: 'e', operator: 'NotIn', values: ['x'] }] })).toBe('a=b,c,!d,e notin (x)');
    expect(selectorText({})).toBe('<none>');
    expect(selectorText({ app: 'web' })).toBe('app=web');
    expect(eventAge({ count: 1, firstTimestamp: ago(125), lastTimestamp: ago(125) }, NOW)).toBe('2m5s');
    expect(eventAge({ series: { count: 3, lastObservedTime: ago(10) }, eventTime: ago(300) }, NOW)).toBe('10s (x3 over 5m)');
    expect(eventSource({ source: { component: 'kubelet', host: 'n1' } })).toBe('kubelet, n1');
    expect(eventSource({ reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-vm', source: {} })).toBe('default-scheduler');
    expect(eventSource({})).toBe('<unknown>');
  });
});
