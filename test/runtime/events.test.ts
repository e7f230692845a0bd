// Recorder: events.k8s.io/v1 Events as the reference kubectl sees them, with series aggregation.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { Client } from '../../src/lib/client.js';
import { objectReference, Recorder } from '../../src/lib/runtime/events.js';
import type { ConfigMap } from '../../src/lib/types/index.js';
import { clusterRoles, configMaps, nodes } from '../../src/lib/types/resources.js';
import { kubectl, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';

const ns = useNamespace('events');
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The core/v1 view of an Event, as `kubectl get events -o json` prints it. */
interface CoreEvent {
  metadata: { name: string; namespace: string };
  involvedObject: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string };
  related?: { kind?: string; name?: string };
  reason: string;
  message?: string;
  type: string;
  action: string;
  eventTime: string;
  reportingComponent: string;
  reportingInstance: string;
  series?: { count: number; lastObservedTime: string };
}

/** Events in `namespace` through the reference kubectl, optionally only those with `reason`. */
async function kubectlEvents(namespace: string, reason?: string): Promise<CoreEvent[]> {
  const args = ['get', 'events', '-n', namespace, '-o', 'json', ...(reason ? ['--field-selector', `reason=${reason}`] : [])];
  const items = (JSON.parse(await kubectlOk(args)) as { items: CoreEvent[] }).items;
  return items;
}

let client: Client;
let recorder: Recorder;
let cm: ConfigMap;
const reason = (base: string) => `${base}${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  client = contextClient('admin');
  recorder = new Recorder(client, { controller: 'ktx-example', instance: 'ktx-example-test' });
  cm = await Api.namespaced(client, configMaps, ns.name).create({ metadata: { name: 'subject' }, data: { a: '1' } });
});

describe('Recorder', () => {
  it('publishes an Event that kubectl shows with its regarding object, reason, note, type and reporter', async () => {
    const stored = await recorder.publish({ type: 'Normal', reason: 'Synced', note: 'configuration applied', action: 'Reconciling' }, objectReference(cm));
    expect(stored.metadata?.name).toMatch(/^subject\.[0-9a-f]+$/);
    expect(stored.metadata?.namespace).toBe(ns.name);
    expect(stored.eventTime).toMatch(MICRO);

    const [ev, ...rest] = await kubectlEvents(ns.name, 'Synced');
    expect(rest).toEqual([]);
    expect(ev).toMatchObject({
      metadata: { name: stored.metadata?.name, namespace: ns.name },
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'subject', namespace: ns.name, uid: cm.metadata?.uid },
      reason: 'Synced',
      message: 'configuration applied',
      type: 'Normal',
      action: 'Reconciling',
      reportingComponent: 'ktx-example',
      reportingInstance: 'ktx-example-test',
      eventTime: stored.eventTime,
    });
    expect(ev?.series).toBeUndefined();
    // the events.k8s.io view keeps the new field names
    const v1 = JSON.parse(await kubectlOk(['get', 'events.events.k8s.io', '-n', ns.name, stored.metadata!.name!, '-o', 'json'])) as Record<string, unknown>;
    expect(v1).toMatchObject({ note: 'configuration applied', reportingController: 'ktx-example', regarding: { kind: 'ConfigMap', name: 'subject' } });
    // and the table kubectl prints
    expect(await kubectlOk(['get', 'events', '-n', ns.name, '--field-selector', 'reason=Synced'])).toMatch(/Normal\s+Synced\s+configmap\/subject\s+configuration applied/);
  });

  it('counts repeats within the window into one Event’s series', async () => {
    const r = reason('Repeated');
    const event = { type: 'Normal' as const, reason: r, note: 'again', action: 'Reconciling' };
    const first = await recorder.publish(event, objectReference(cm));
    await recorder.publish(event, objectReference(cm));
    let events = await kubectlEvents(ns.name, r);
    expect(events.map((e) => [e.metadata.name, e.series?.count])).toEqual([[first.metadata?.name, 2]]);
    expect(events[0]?.series?.lastObservedTime).toMatch(MICRO);

    // a later resourceVersion of the same object is still the same series
    const updated = await Api.namespaced(client, configMaps, ns.name).patch('subject', { type: 'merge', body: { data: { b: '2' } } });
    const third = await recorder.publish(event, objectReference(updated));
    expect(third.series?.count).toBe(3);
    events = await kubectlEvents(ns.name, r);
    expect(events.map((e) => [e.metadata.name, e.series?.count])).toEqual([[first.metadata?.name, 3]]);
    expect(events[0]?.eventTime).toBe(first.eventTime);
    // kubectl describe folds the series into one line
    expect(await kubectlOk(['describe', 'configmap', 'subject', '-n', ns.name])).toMatch(new RegExp(`Normal\\s+${r}\\s+\\S+ \\(x3 over \\S+\\)\\s+ktx-example\\s+again`));
  });

  it('concurrent repeats still make one Event with the full count', async () => {
    const r = reason('Burst');
    const event = { type: 'Normal' as const, reason: r, action: 'Reconciling' };
    await Promise.all([1, 2, 3, 4, 5].map(() => recorder.publish(event, objectReference(cm))));
    const events = await kubectlEvents(ns.name, r);
    expect(events.map((e) => e.series?.count)).toEqual([5]);
  });

  it('keeps different reasons, actions and related objects apart', async () => {
    const a = reason('First');
    const b = reason('Second');
    await recorder.publish({ type: 'Normal', reason: a, action: 'Reconciling' }, objectReference(cm));
    await recorder.publish({ type: 'Normal', reason: b, action: 'Reconciling' }, objectReference(cm));
    await recorder.publish({ type: 'Normal', reason: b, action: 'Deleting' }, objectReference(cm));
    const related = { apiVersion: 'v1', kind: 'Pod', name: 'worker-1', namespace: ns.name };
    await recorder.publish({ type: 'Normal', reason: b, action: 'Deleting', secondary: related }, objectReference(cm));
    expect((await kubectlEvents(ns.name, a)).length).toBe(1);
    const second = await kubectlEvents(ns.name, b);
    expect(second.map((e) => [e.action, e.related?.name ?? '', e.series?.count ?? 1]).sort()).toEqual([
      ['Deleting', '', 1],
      ['Deleting', 'worker-1', 1],
      ['Reconciling', '', 1],
    ]);
  });

  it('publishes Warnings', async () => {
    const r = reason('FailedSync');
    await recorder.publish({ type: 'Warning', reason: r, note: 'something is off', action: 'Reconciling' }, objectReference(cm));
    const warnings = await kubectlOk(['get', 'events', '-n', ns.name, '--field-selector', `type=Warning,reason=${r}`, '-o', 'json']);
    const items = (JSON.parse(warnings) as { items: CoreEvent[] }).items;
    expect(items.map((e) => [e.type, e.message])).toEqual([['Warning', 'something is off']]);
  });

  it('puts events about cluster-scoped objects in default, and makes names from any object name', async () => {
    const node = (await Api.cluster(client, nodes).list()).items[0]!;
    const nodeRef = objectReference(node, nodes);
    expect(nodeRef.namespace).toBeUndefined();
    const r = reason('NodeChecked');
    const stored = await recorder.publish({ type: 'Normal', reason: r, note: 'node looked at', action: 'Checking' }, nodeRef);
    const role = await Api.cluster(client, clusterRoles).get('system:basic-user');
    const roleEvent = await recorder.publish({ type: 'Normal', reason: r, action: 'Checking' }, objectReference(role));
    try {
      const events = await kubectlEvents('default', r);
      expect(events.map((e) => [e.involvedObject.kind, e.involvedObject.name, e.involvedObject.namespace ?? null, e.metadata.namespace]).sort()).toEqual([
        ['ClusterRole', 'system:basic-user', null, 'default'],
        ['Node', node.metadata?.name, null, 'default'],
      ]);
      expect(stored.metadata?.name?.startsWith(`${node.metadata?.name}.`)).toBe(true);
      expect(roleEvent.metadata?.name).toMatch(/^system-basic-user\.[0-9a-f]+$/);
    } finally {
      await kubectl(['delete', 'events.events.k8s.io', '-n', 'default', stored.metadata!.name!, roleEvent.metadata!.name!, '--ignore-not-found']);
    }
  });

  it('starts a new Event once the series window has passed (injected clock)', async () => {
    let now = Date.now();
    const clocked = new Recorder(client, { controller: 'ktx-example' }, { now: () => new Date(now) });
    const r = reason('Windowed');
    const event = { type: 'Normal' as const, reason: r, action: 'Reconciling' };
    const first = await clocked.publish(event, objectReference(cm));
    now += 5 * 60_000;
    const repeat = await clocked.publish(event, objectReference(cm));
    expect(repeat.metadata?.name).toBe(first.metadata?.name);
    expect(repeat.series?.lastObservedTime).toBe(new Date(now).toISOString().replace(/Z$/, '000Z'));
    now += 6 * 60_000 + 1; // the window counts from the last occurrence
    const fresh = await clocked.publish(event, objectReference(cm));
    expect(fresh.metadata?.name).not.toBe(first.metadata?.name);
    expect(fresh.series).toBeUndefined();
    const events = await kubectlEvents(ns.name, r);
    expect(events.map((e) => e.series?.count ?? 1).sort()).toEqual([1, 2]);
    // the default instance is <controller>-<hostname>
    expect(events[0]?.reportingInstance).toMatch(/^ktx-example-.+/);
  });

  it('creates a new Event when the series’ Event has been deleted', async () => {
    const r = reason('Expired');
    const event = { type: 'Normal' as const, reason: r, note: 'first', action: 'Reconciling' };
    const first = await recorder.publish(event, objectReference(cm));
    await kubectlOk(['delete', 'events.events.k8s.io', '-n', ns.name, first.metadata!.name!]);
    const again = await recorder.publish({ ...event, note: 'second' }, objectReference(cm));
    expect(again.metadata?.name).not.toBe(first.metadata?.name);
    const events = await kubectlEvents(ns.name, r);
    expect(events.map((e) => [e.metadata.name, e.message, e.series?.count ?? 1])).toEqual([[again.metadata?.name, 'second', 1]]);
    // and the next repeat counts onto the new one
    expect((await recorder.publish(event, objectReference(cm))).series?.count).toBe(2);
  });

  it('truncates notes to the 1 kB the apiserver accepts', async () => {
    const r = reason('LongNote');
    const stored = await recorder.publish({ type: 'Normal', reason: r, note: 'é'.repeat(1000), action: 'Reconciling' }, objectReference(cm));
    expect(stored.note).toBe('é'.repeat(512));
    // never half a character: the 1024th byte would split an é
    const split = await recorder.publish({ type: 'Normal', reason: `${r}Split`, note: `a${'é'.repeat(1000)}`, action: 'Reconciling' }, objectReference(cm));
    expect(split.note).toBe(`a${'é'.repeat(511)}`);
  });

  it('builds object references from listed objects with their resource, and rejects unnamed ones', async () => {
    const listed = (await Api.namespaced(client, configMaps, ns.name).list()).items.find((c) => c.metadata?.name === 'subject')!;
    expect(objectReference(listed, configMaps)).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', name: 'subject', namespace: ns.name, uid: cm.metadata?.uid });
    expect(() => objectReference({ metadata: { name: 'x' } })).toThrow(/apiVersion, kind/);
    await expect(recorder.publish({ type: 'Normal', reason: 'R', action: 'A' }, { kind: 'ConfigMap' })).rejects.toThrow(/no name/);
  });
});
