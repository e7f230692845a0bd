// `kubectl describe`-style text for one object and its events, as a pure function: what the
// explorer's `d` view shows. It follows kubectl's layout (key/value blocks aligned by a tab
// writer with padding 2, an `Events:` table of `Type Reason Age From Message`) for the fields
// kubectl leads with; it is not kubectl's per-kind describer byte for byte.
import type { KubeObject } from '../../lib/api/resource.js';
import { humanDuration } from './age.js';
import { runeCount } from './tabwriter.js';

/** A core/v1 Event, as much of it as the describe view reads. */
export interface DescribeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  metadata?: { creationTimestamp?: string };
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's RFC1123Z in local time, as kubectl prints timestamps: `Mon, 02 Jan 2006 15:04:05 -0700`. */
export function rfc1123z(time: string | number | Date): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return String(time);
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${p(Math.trunc(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${DAYS[d.getDay()]}, ${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}

/**
 * Go's text/tabwriter (minwidth 0, padding 2, as kubectl's describe configures it): cells are
 * tab-terminated, and a column is aligned over the run of contiguous lines that have it.
 */
export function alignTabs(text: string, padding = 2): string[] {
  const lines = text.split('\n').map((l) => l.split('\t'));
  if (lines.at(-1)?.length === 1 && lines.at(-1)![0] === '') lines.pop();
  const out: string[][] = lines.map(() => []);
  const format = (line0: number, line1: number, column: number) => {
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      let end = i;
      let width = 0;
      for (; end < line1 && column < lines[end]!.length - 1; end++) width = Math.max(width, runeCount(lines[end]![column]!) + padding);
      for (let j = i; j < end; j++) out[j]![column] = lines[j]![column]! + ' '.repeat(width - runeCount(lines[j]![column]!));
      format(i, end, column + 1);
      i = end - 1;
    }
  };
  format(0, lines.length, 0);
  return lines.map((cells, i) => {
    const done = out[i]!;
    return cells.map((c, j) => (j < cells.length - 1 ? (done[j] ?? c) : c)).join('');
  });
}

/** kubectl's prefix writer: LEVEL_0 has no indent, each level adds two spaces. */
class DescribeWriter {
  #text = '';
  write(level: number, ...cells: string[]): void {
    this.#text += `${'  '.repeat(level)}${cells.join('\t')}\n`;
  }
  /** `Key:\tvalue` lines for a map, sorted; `<none>` when empty. */
  map(level: number, key: string, m: Record<string, string> | undefined): void {
    const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return this.write(level, `${key}:`, '<none>');
    entries.forEach(([k, v], i) => this.write(level, i === 0 ? `${key}:` : '', `${k}=${v}`));
  }
  lines(): string[] {
    return alignTabs(this.#text);
  }
}

/** The label selector of a workload's `spec.selector` (matchLabels and matchExpressions), or a Service's map. */
export function selectorText(selector: unknown): string {
  const s = obj(selector);
  if (!('matchLabels' in s) && !('matchExpressions' in s)) {
    const plain = Object.entries(s).filter(([, v]) => typeof v === 'string');
    return plain.length ? plain.map(([k, v]) => `${k}=${v as string}`).join(',') : '<none>';
  }
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${str(v) ?? ''}`);
  for (const e of arr(s.matchExpressions)) {
    const key = str(e.key) ?? '';
    const values = (Array.isArray(e.values) ? (e.values as unknown[]) : []).map(String).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** When an event last happened: lastTimestamp, the series' last observation, eventTime, or creation. */
export function eventLastTime(e: DescribeEvent): number {
  const t = e.lastTimestamp || e.series?.lastObservedTime || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function eventFirstTime(e: DescribeEvent): number {
  const t = e.firstTimestamp || e.eventTime || e.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** kubectl's AGE of an event: `3m`, or `3m (x2 over 10m)` when it repeated. */
export function eventAge(e: DescribeEvent, now: number): string {
  const count = e.series?.count ?? e.count ?? 1;
  const last = humanDuration(now - eventLastTime(e));
  if (count > 1) return `${last} (x${count} over ${humanDuration(now - eventFirstTime(e))})`;
  return e.firstTimestamp || e.eventTime ? humanDuration(now - eventFirstTime(e)) : last;
}

/** kubectl's FROM: the component (or reporting controller), `, host` when the source names one, else `<unknown>`. */
export function eventSource(e: DescribeEvent): string {
  const component = e.source?.component || e.reportingComponent || '';
  // kubectl's describe ignores reportingInstance (`default-scheduler-<host>` would repeat the component).
  const instance = e.source?.host || '';
  if (!component) return '<unknown>';
  return instance ? `${component}, ${instance}` : component;
}

/** The `Events:` section: `<none>`, or the table sorted by when each event last happened. */
function writeEvents(w: DescribeWriter, events: readonly DescribeEvent[], now: number): void {
  if (events.length === 0) return w.write(0, 'Events:', '<none>');
  w.write(0, 'Events:');
  w.write(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  w.write(1, '----', '------', '----', '----', '-------');
  const sorted = [...events].sort((a, b) => eventLastTime(a) - eventLastTime(b));
  for (const e of sorted) w.write(1, e.type ?? '', e.reason ?? '', eventAge(e, now), eventSource(e), (e.message ?? '').trim().replace(/\s*\n\s*/g, ' '));
}

function writeConditions(w: DescribeWriter, conditions: Obj[], withReason: boolean): void {
  if (conditions.length === 0) return;
  w.write(0, 'Conditions:');
  if (withReason) {
    w.write(1, 'Type', 'Status', 'Reason');
    w.write(1, '----', '------', '------');
    for (const c of conditions) w.write(1, str(c.type) ?? '', str(c.status) ?? '', str(c.reason) ?? '');
  } else {
    w.write(1, 'Type', 'Status');
    // kubectl writes each condition cell with a trailing space (`%v \t%v \n`).
    for (const c of conditions) w.write(1, `${str(c.type) ?? ''} `, `${str(c.status) ?? ''} `);
  }
}

function controlledBy(meta: Obj): string | undefined {
  const owner = arr(meta.ownerReferences).find((o) => o.controller === true);
  return owner ? `${str(owner.kind) ?? ''}/${str(owner.name) ?? ''}` : undefined;
}

function writeState(w: DescribeWriter, level: number, key: string, state: Obj): void {
  const [name, detail] = Object.entries(state)[0] ?? [];
  if (!name) return w.write(level, `${key}:`, 'Waiting');
  const d = obj(detail);
  w.write(level, `${key}:`, name[0]!.toUpperCase() + name.slice(1));
  if (str(d.reason)) w.write(level + 1, 'Reason:', str(d.reason)!);
  if (str(d.message)) w.write(level + 1, 'Message:', str(d.message)!);
  if (d.exitCode !== undefined) w.write(level + 1, 'Exit Code:', str(d.exitCode) ?? '');
  if (str(d.startedAt)) w.write(level + 1, 'Started:', rfc1123z(str(d.startedAt)!));
  if (str(d.finishedAt)) w.write(level + 1, 'Finished:', rfc1123z(str(d.finishedAt)!));
}

function writeContainers(w: DescribeWriter, title: string, specs: Obj[], statuses: Obj[]): void {
  if (specs.length === 0) return;
  w.write(0, `${title}:`);
  for (const c of specs) {
    const name = str(c.name) ?? '';
    const st = statuses.find((s) => s.name === name);
    w.write(1, `${name}:`);
    if (str(st?.containerID)) w.write(2, 'Container ID:', str(st!.containerID)!);
    w.write(2, 'Image:', str(c.image) ?? '');
    if (st) w.write(2, 'Image ID:', str(st.imageID) ?? '');
    const ports = arr(c.ports).map((p) => `${str(p.containerPort) ?? ''}/${str(p.protocol) ?? 'TCP'}`);
    w.write(2, ports.length > 1 ? 'Ports:' : 'Port:', ports.length ? ports.join(', ') : '<none>');
    if (Array.isArray(c.command)) w.write(2, 'Command:', (c.command as unknown[]).map(String).join(' '));
    if (Array.isArray(c.args)) w.write(2, 'Args:', (c.args as unknown[]).map(String).join(' '));
    if (st) {
      writeState(w, 2, 'State', obj(st.state));
      if (Object.keys(obj(st.lastState)).length) writeState(w, 2, 'Last State', obj(st.lastState));
      w.write(2, 'Ready:', st.ready === true ? 'True' : 'False');
      w.write(2, 'Restart Count:', str(st.restartCount) ?? '0');
    }
    const env = arr(c.env);
    if (env.length === 0) w.write(2, 'Environment:', '<none>');
    else {
      w.write(2, 'Environment:');
      for (const e of env) w.write(3, `${str(e.name) ?? ''}:`, str(e.value) ?? (e.valueFrom ? '<set from a reference>' : ''));
    }
  }
}

function describePod(w: DescribeWriter, o: Obj): void {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const meta = obj(o.metadata);
  const node = str(spec.nodeName);
  if (spec.priority !== undefined) w.write(0, 'Priority:', str(spec.priority) ?? '');
  if (str(spec.serviceAccountName)) w.write(0, 'Service Account:', str(spec.serviceAccountName)!);
  w.write(0, 'Node:', node ? `${node}${str(status.hostIP) ? `/${str(status.hostIP)!}` : ''}` : '<none>');
  if (str(status.startTime)) w.write(0, 'Start Time:', rfc1123z(str(status.startTime)!));
  w.map(0, 'Labels', obj(meta.labels) as Record<string, string>);
  w.map(0, 'Annotations', obj(meta.annotations) as Record<string, string>);
  const deleting = str(meta.deletionTimestamp);
  w.write(0, 'Status:', deleting ? 'Terminating' : (str(status.phase) ?? 'Unknown'));
  if (str(status.reason)) w.write(0, 'Reason:', str(status.reason)!);
  if (str(status.message)) w.write(0, 'Message:', str(status.message)!);
  w.write(0, 'IP:', str(status.podIP) ?? '');
  const owner = controlledBy(meta);
  if (owner) w.write(0, 'Controlled By:', owner);
  writeContainers(w, 'Init Containers', arr(spec.initContainers), arr(status.initContainerStatuses));
  writeContainers(w, 'Containers', arr(spec.containers), arr(status.containerStatuses));
  writeConditions(w, arr(status.conditions), false);
  if (str(status.qosClass)) w.write(0, 'QoS Class:', str(status.qosClass)!);
  w.map(0, 'Node-Selectors', obj(spec.nodeSelector) as Record<string, string>);
}

function writeMeta(w: DescribeWriter, meta: Obj, withCreation: boolean): void {
  w.map(0, 'Labels', obj(meta.labels) as Record<string, string>);
  w.map(0, 'Annotations', obj(meta.annotations) as Record<string, string>);
  if (withCreation && str(meta.creationTimestamp)) w.write(0, 'CreationTimestamp:', rfc1123z(str(meta.creationTimestamp)!));
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function describeWorkload(w: DescribeWriter, o: Obj, kind: string): void {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const meta = obj(o.metadata);
  if (str(meta.creationTimestamp)) w.write(0, 'CreationTimestamp:', rfc1123z(str(meta.creationTimestamp)!));
  w.write(0, 'Selector:', selectorText(spec.selector));
  w.map(0, 'Labels', obj(meta.labels) as Record<string, string>);
  w.map(0, 'Annotations', obj(meta.annotations) as Record<string, string>);
  const desired = spec.replicas === undefined ? 1 : num(spec.replicas);
  switch (kind) {
    case 'Deployment': {
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      w.write(0, 'Replicas:', `${desired} desired | ${num(status.updatedReplicas)} updated | ${total} total | ${available} available | ${num(status.unavailableReplicas)} unavailable`);
      w.write(0, 'StrategyType:', str(obj(spec.strategy).type) ?? 'RollingUpdate');
      break;
    }
    case 'ReplicaSet':
    case 'ReplicationController':
      w.write(0, 'Replicas:', `${num(status.replicas)} current / ${desired} desired`);
      break;
    case 'StatefulSet':
      w.write(0, 'Replicas:', `${desired} desired | ${num(status.replicas)} total`);
      break;
    case 'DaemonSet':
      w.write(0, 'Desired Number of Nodes Scheduled:', String(num(status.desiredNumberScheduled)));
      w.write(0, 'Current Number of Nodes Scheduled:', String(num(status.currentNumberScheduled)));
      w.write(0, 'Number of Nodes Scheduled with Up-to-date Pods:', String(num(status.updatedNumberScheduled)));
      w.write(0, 'Number of Nodes Scheduled with Available Pods:', String(num(status.numberAvailable)));
      break;
  }
  const owner = controlledBy(meta);
  if (owner) w.write(0, 'Controlled By:', owner);
  if (kind !== 'Deployment' && kind !== 'DaemonSet') {
    w.write(0, 'Pods Status:', `${num(status.readyReplicas)} Ready`);
  }
  const template = obj(spec.template);
  w.write(0, 'Pod Template:');
  w.map(1, 'Labels', obj(obj(template.metadata).labels) as Record<string, string>);
  const containers = arr(obj(template.spec).containers);
  w.write(1, 'Containers:');
  for (const c of containers) {
    w.write(2, `${str(c.name) ?? ''}:`);
    w.write(3, 'Image:', str(c.image) ?? '');
  }
  writeConditions(w, arr(status.conditions), true);
}

function describeService(w: DescribeWriter, o: Obj): void {
  const spec = obj(o.spec);
  writeMeta(w, obj(o.metadata), false);
  w.write(0, 'Selector:', selectorText(spec.selector));
  w.write(0, 'Type:', str(spec.type) ?? 'ClusterIP');
  w.write(0, 'IP:', str(spec.clusterIP) ?? '');
  for (const p of arr(spec.ports)) {
    const name = str(p.name) || '<unset>';
    w.write(0, 'Port:', `${name}  ${str(p.port) ?? ''}/${str(p.protocol) ?? 'TCP'}`);
    w.write(0, 'TargetPort:', `${str(p.targetPort) ?? str(p.port) ?? ''}/${str(p.protocol) ?? 'TCP'}`);
    if (p.nodePort !== undefined) w.write(0, 'NodePort:', `${name}  ${str(p.nodePort) ?? ''}/${str(p.protocol) ?? 'TCP'}`);
  }
}

function describeGeneric(w: DescribeWriter, o: Obj): void {
  const status = obj(o.status);
  writeMeta(w, obj(o.metadata), true);
  const owner = controlledBy(obj(o.metadata));
  if (owner) w.write(0, 'Controlled By:', owner);
  if (str(status.phase)) w.write(0, 'Status:', str(status.phase)!);
  writeConditions(w, arr(status.conditions), true);
}

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController']);

/**
 * The describe text of `object` with its `events` (any order; shown oldest first by last
 * occurrence, as kubectl sorts them), ages as of `now`. One string per line, no newlines.
 */
export function describeObject(object: KubeObject, events: readonly DescribeEvent[], now: number): string[] {
  const o = object as Obj;
  const meta = obj(o.metadata);
  const kind = str(o.kind) ?? '';
  const w = new DescribeWriter();
  w.write(0, 'Name:', str(meta.name) ?? '');
  if (str(meta.namespace)) w.write(0, 'Namespace:', str(meta.namespace)!);
  if (kind === 'Pod' && (o.apiVersion ?? 'v1') === 'v1') describePod(w, o);
  else if (WORKLOADS.has(kind)) describeWorkload(w, o, kind);
  else if (kind === 'Service' && (o.apiVersion ?? 'v1') === 'v1') describeService(w, o);
  else describeGeneric(w, o);
  writeEvents(w, events, now);
  return w.lines();
}
