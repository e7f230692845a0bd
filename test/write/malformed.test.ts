// A corpus of broken input for `ktx apply`: each bad document yields one clear error naming it,
// the good documents around it are applied, nothing of the bad ones reaches the cluster, exit 1.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { api, configMaps, ktx, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('malformed');
const dir = tempDir();
const good = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ok: "yes"\n`;

interface Case {
  name: string;
  bad: string;
  /** The one error line expected on stderr. */
  error: RegExp;
  /** Objects the bad document names, which must not exist afterwards. */
  absent?: string[];
}

const cases: Case[] = [
  {
    name: 'broken-yaml',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  labels: [unclosed\n',
    error: /^error: error parsing .*broken-yaml\.yaml: error converting YAML to JSON: yaml: line 1[23], column \d+: .+$/,
    absent: ['broken'],
  },
  {
    name: 'bad-indent',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: indented\n    oops: here\n',
    error: /^error: error parsing .*bad-indent\.yaml: error converting YAML to JSON: yaml: line 11, column \d+: .+$/,
    absent: ['indented'],
  },
  {
    name: 'unknown-kind',
    bad: 'apiVersion: nothing.invalid/v1\nkind: Gizmo\nmetadata:\n  name: gizmo\n',
    error: /^error: resource mapping not found for name: "gizmo" namespace: "" from ".*unknown-kind\.yaml": no matches for kind "Gizmo" in version "nothing\.invalid\/v1"$/,
  },
  {
    name: 'missing-kind',
    bad: 'apiVersion: v1\nmetadata:\n  name: kindless\n',
    error: /^error: error validating ".*missing-kind\.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false$/,
    absent: ['kindless'],
  },
  {
    name: 'missing-name',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n',
    error: /^error: resource name may not be empty$/,
  },
  {
    name: 'generate-name',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: gen-\n',
    error: /^error: from gen-: cannot use generate name with apply$/,
  },
  {
    name: 'wrong-namespace',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n  namespace: not-this-one\n',
    error: /^error: the namespace from the provided object "not-this-one" does not match the namespace "malformed-\w+"\. You must pass '--namespace=not-this-one' to perform this operation\.$/,
    absent: ['elsewhere'],
  },
  {
    name: 'invalid-value',
    bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: invalid\n  labels:\n    "no spaces allowed": x\n',
    error: /^The ConfigMap "invalid" is invalid: metadata\.labels: Invalid value: "no spaces allowed": /,
    absent: ['invalid'],
  },
  {
    name: 'not-a-mapping',
    bad: '- just\n- a list\n',
    error: /^error: error parsing .*not-a-mapping\.yaml: line 8: a manifest must be an object \(a mapping\), not a list$/,
  },
];

describe('malformed input', () => {
  for (const c of cases) {
    it(`${c.name}: one clear error, the good documents applied`, async () => {
      const file = writeManifest(join(dir, `${c.name}.yaml`), `${good(`${c.name}-before`)}---\n${c.bad}---\n${good(`${c.name}-after`)}`);
      const r = await ktx(['apply', '-f', file, '-n', ns.name]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe(`configmap/${c.name}-before serverside-applied\nconfigmap/${c.name}-after serverside-applied`);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines.join('\n')).toMatch(c.error.source.startsWith('^error: resource mapping') ? new RegExp(`${c.error.source.slice(0, -1)}\\nensure CRDs are installed first$`) : c.error);
      for (const name of c.absent ?? []) expect(await api(configMaps, ns.name).getOpt(name)).toBeUndefined();
      expect(await api(configMaps, ns.name).getOpt(`${c.name}-before`)).toBeDefined();
      expect(await api(configMaps, ns.name).getOpt(`${c.name}-after`)).toBeDefined();
    });
  }

  it('reports every bad document of a file, each with its own line', async () => {
    const file = writeManifest(join(dir, 'many.yaml'), `${good('many-ok')}---\nkey: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   y: z\n`);
    const r = await ktx(['apply', '-f', file, '-n', ns.name]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('configmap/many-ok serverside-applied');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/many\.yaml: error converting YAML to JSON: yaml: line (8|9), column \d+: /);
    expect(lines[1]).toMatch(/many\.yaml: error converting YAML to JSON: yaml: line 13, column \d+: /);
  });
});
