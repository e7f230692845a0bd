// `ktx edit` driven by a scripted editor (a small node program in $KUBE_EDITOR that applies one
// scripted step per invocation and records what it saw): a change, no change, a syntax error then
// a fix, an invalid value then a fix, a refused identity change, and several objects as a List.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { api, configMaps, ktx, refKubectl, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('edit');
const dir = tempDir();
const editor = join(dir, 'editor.mjs');

/** One editor invocation: replace text, write a whole new content, or save unchanged. */
type Step = { replace: [string, string] } | { write: string } | { keep: true };

interface Seen {
  path: string;
  mode: number;
  content: string;
}

beforeAll(() => {
  writeFileSync(
    editor,
    `import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
const file = process.argv[2];
const { steps, log } = JSON.parse(readFileSync(process.env.EDIT_SCRIPT, 'utf8'));
const seen = existsSync(log) ? JSON.parse(readFileSync(log, 'utf8')) : [];
const content = readFileSync(file, 'utf8');
seen.push({ path: file, mode: statSync(file).mode & 0o777, content });
writeFileSync(log, JSON.stringify(seen));
const step = steps[seen.length - 1] ?? { keep: true };
if (step.write !== undefined) writeFileSync(file, step.write);
else if (step.replace) writeFileSync(file, content.replace(step.replace[0], step.replace[1]));
`,
  );
});

let run = 0;
/** Runs `ktx edit` with the steps; returns the result and what the editor saw each time. */
async function edit(args: string[], steps: Step[]): Promise<{ stdout: string; stderr: string; exitCode: number; seen: Seen[] }> {
  run++;
  const script = join(dir, `script-${run}.json`);
  const log = join(dir, `seen-${run}.json`);
  writeFileSync(script, JSON.stringify({ steps, log }));
  const r = await ktx(['edit', ...args, '-n', ns.name], { env: { KUBE_EDITOR: `${process.execPath} ${editor}`, EDIT_SCRIPT: script } });
  const seen = existsSync(log) ? (JSON.parse(readFileSync(log, 'utf8')) as Seen[]) : [];
  return { ...r, seen };
}

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

beforeAll(async () => {
  const file = writeManifest(join(dir, 'cms.yaml'), [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: '1' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' }, data: { b: '2' } },
  ]);
  await refKubectl(['apply', '-f', file, '-n', ns.name]);
});

describe('ktx edit', () => {
  it('saves a change as a patch and removes its private temp file', async () => {
    const r = await edit(['configmap', 'one'], [{ replace: ['a: "1"', 'a: "changed"'] }]);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'configmap/one edited', stderr: '' });
    expect(r.seen).toHaveLength(1);
    const seen = r.seen[0]!;
    expect(seen.path).toMatch(/\/ktx-edit-\d+\.yaml$/);
    expect(seen.mode).toBe(0o600);
    expect(seen.content.startsWith(HEADER)).toBe(true);
    expect(seen.content).toContain('  name: one\n');
    expect(seen.content).not.toContain('managedFields');
    expect(existsSync(seen.path)).toBe(false);
    expect((await api(configMaps, ns.name).get('one')).data).toEqual({ a: 'changed' });
    const managers = ((await api(configMaps, ns.name).get('one')).metadata?.managedFields ?? []) as Array<{ manager: string }>;
    expect(managers.map((m) => m.manager)).toContain('ktx-edit');
  });

  it('cancels when nothing changed', async () => {
    const r = await edit(['cm/one'], [{ keep: true }]);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'Edit cancelled, no changes made.' });
  });

  it('cancels on an empty file', async () => {
    const r = await edit(['cm/one'], [{ write: '# only a comment\n\n' }]);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'Edit cancelled, saved file was empty.' });
  });

  it('reopens on a YAML syntax error with the error as a comment, then saves the fix', async () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n bad: [\n';
    const r = await edit(['cm/one'], [{ write: broken }, { write: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  a: fixed\n' }]);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'configmap/one edited' });
    expect(r.seen).toHaveLength(2);
    const second = r.seen[1]!.content;
    expect(second.startsWith(`${HEADER}# The edited file had a syntax error: error converting YAML to JSON: yaml: line 5`)).toBe(true);
    expect(second).toContain(broken);
    expect((await api(configMaps, ns.name).get('one')).data).toEqual({ a: 'fixed' });
  });

  it('reopens on an invalid value with the server\'s causes, then saves the fix', async () => {
    const r = await edit(['cm/one'], [{ replace: ['  name: one\n', '  name: one\n  labels:\n    "bad key!": x\n'] }, { replace: ['    "bad key!": x\n', '    good: x\n'] }]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('error: configmaps "one" is invalid');
    expect(r.stdout).toBe('configmap/one edited');
    const second = r.seen[1]!.content;
    expect(second).toMatch(/^# Please edit[\s\S]*#\n# configmaps "one" was not valid:\n# \* metadata\.labels: Invalid value: "bad key!": /);
    expect((await api(configMaps, ns.name).get('one')).metadata?.labels).toEqual({ good: 'x' });
  });

  it('keeps the file when the reopened file is saved unchanged', async () => {
    const r = await edit(['cm/one'], [{ replace: ['  name: one\n', '  name: one\n  labels:\n    "bad key!": x\n'] }, { keep: true }]);
    expect(r.exitCode).toBe(1);
    const path = r.seen[1]!.path;
    expect(r.stderr).toBe(`error: configmaps "one" is invalid\nA copy of your changes has been stored to "${path}"\nerror: Edit cancelled, no valid changes were saved.`);
    expect(existsSync(path)).toBe(true);
  });

  it('refuses to change the name', async () => {
    const r = await edit(['cm/one'], [{ replace: ['  name: one\n', '  name: renamed\n'] }]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`A copy of your changes has been stored to "${r.seen[0]!.path}"\nerror: At least one of apiVersion, kind and name was changed`);
  });

  it('edits several objects as a List', async () => {
    const r = await edit(['cm', 'one', 'two'], [{ replace: ['b: "2"', 'b: "22"'] }]);
    expect(r.seen[0]!.content).toContain('kind: List');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'configmap/one skipped\nconfigmap/two edited' });
    expect((await api(configMaps, ns.name).get('two')).data).toEqual({ b: '22' });
  });

  it('runs an editor value with quotes through $SHELL -c', async () => {
    run++;
    const script = join(dir, `script-${run}.json`);
    const log = join(dir, `seen-${run}.json`);
    writeFileSync(script, JSON.stringify({ steps: [{ replace: ['b: "22"', 'b: "shell"'] }], log }));
    const r = await ktx(['edit', 'cm/two', '-n', ns.name], { env: { KUBE_EDITOR: `"${process.execPath}" '${editor}'`, EDIT_SCRIPT: script, SHELL: '/bin/sh' } });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'configmap/two edited' });
  });
});
