// kubectl's edit loop, shared by `ktx edit` and the explorer's `e`: open the objects in an editor,
// patch what changed, reopen on errors. Where its lines go and how the editor starts are the
// caller's; the loop itself never touches process streams.
import { randomInt } from 'node:crypto';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { Api } from '../lib/api/api.js';
import { qualifiedResource, type ApiResource, type KubeObject } from '../lib/api/resource.js';
import { editPatch, EditIdentityChangedError } from '../lib/apply/edit.js';
import { goJson } from '../lib/apply/go-json.js';
import { OpenApiV3 } from '../lib/apply/openapi.js';
import type { Client } from '../lib/client.js';
import { ApiError } from '../lib/errors.js';
import { assignNamespace, parseManifests } from '../lib/manifests/index.js';
import { resourceName, stripManagedFields, toJson, toYaml } from './print/index.js';

/** kubectl edit's header, verbatim. */
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** One object being edited: where it lives and how it looked when the editor opened. */
export interface Editing {
  resource: ApiResource;
  original: KubeObject;
}

/** An object read from the server, ready to edit: apiVersion and kind filled in as kubectl shows them. */
export function editing(resource: ApiResource, obj: KubeObject): Editing {
  return { resource, original: { apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version, kind: resource.kind, ...obj } };
}

export interface EditLoopOptions {
  client: Client;
  /** The namespace namespaced objects fall back to when the edited file drops theirs. */
  namespace: string;
  objects: Editing[];
  json?: boolean;
  showManagedFields?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** kubectl's stdout lines, without the newline: `configmap/x edited`, `Edit cancelled, no changes made.` */
  out(line: string): void;
  /** kubectl's stderr text, newlines included: `A copy of your changes has been stored to …`. */
  err(text: string): void;
  /** Runs the editor on the file until it exits (default {@link launchEditor}). */
  editor?: (path: string) => Promise<void>;
}

/** Drops comment lines (not `#!`), as kubectl does before comparing or parsing the edited file. */
function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => {
      const t = l.trim();
      return !(t.startsWith('#') && !t.startsWith('#!'));
    })
    .join('\n');
}

/** How to start the editor, by kubectl's rules: one binary; split on spaces; or `$SHELL -c` when the value has quotes or backslashes. */
export function editorCommand(env: NodeJS.ProcessEnv, file: string): { file: string; args: string[] } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { file: editor, args: [file] };
  if (!/["'\\]/.test(editor)) {
    const [cmd = 'vi', ...rest] = editor.split(' ');
    return { file: cmd, args: [...rest, file] };
  }
  return { file: env.SHELL || '/bin/bash', args: ['-c', `${editor} ${JSON.stringify(file)}`] };
}

/** Runs $KUBE_EDITOR, $EDITOR or vi on `path` with this process's terminal; `signal` kills it. */
export async function launchEditor(path: string, signal?: AbortSignal): Promise<void> {
  const { execa } = await import('execa');
  const cmd = editorCommand(process.env, path);
  const shown = [cmd.file, ...cmd.args.slice(0, -1)].join(' ');
  const r = await execa(cmd.file, cmd.args, { stdio: 'inherit', reject: false, ...(signal ? { cancelSignal: signal } : {}) });
  if (r.failed) {
    if ((r as { code?: string }).code === 'ENOENT') throw new UsageError(`unable to launch the editor "${shown}"`);
    throw new UsageError(`there was a problem with the editor "${shown}"`);
  }
}

function render(objects: KubeObject[], json: boolean): string {
  const doc = objects.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: {} };
  return json ? toJson(doc) : toYaml(doc);
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  return a.kind === b.kind && a.metadata?.name === b.metadata?.name && (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

const objectName = (resource: ApiResource, obj: KubeObject) => resourceName(obj.kind ?? resource.kind, resource.group, obj.metadata?.name ?? '');

/**
 * kubectl edit's loop over `objects`: write them (YAML or JSON, a List for several) under kubectl's
 * header into a private temp file, run the editor, and patch each changed object; a syntax error
 * or an Invalid answer reopens the file with the failures as comments. Resolves with the failures
 * that end the edit unsuccessfully (kubectl reports them and exits 1; empty when all went well);
 * an unchanged, empty or identity-changing edit ends as kubectl's (`Edit cancelled, …` lines or a
 * thrown UsageError). The temp file is removed unless it holds changes that were not saved.
 */
export async function runEditLoop(o: EditLoopOptions): Promise<Error[]> {
  const json = !!o.json;
  const show = (obj: KubeObject) => (o.showManagedFields ? obj : stripManagedFields(obj));
  const openapi = new OpenApiV3(o.client);
  const editor = o.editor ?? ((path: string) => launchEditor(path));

  const path = join(tmpdir(), `ktx-edit-${randomInt(1e9, 1e10)}.${json ? 'json' : 'yaml'}`);
  const fh = await open(path, 'wx', 0o600);
  await fh.close();
  let keep = false;
  let pending = o.objects;
  let body = render(pending.map((e) => show(e.original)), json);
  const originalStripped = stripComments(body);
  let notes = '';
  let previous: string | undefined;
  try {
    for (;;) {
      await writeFile(path, `${HEADER}${notes}${body}`, { mode: 0o600 });
      await editor(path);
      const edited = stripComments(await readFile(path, 'utf8'));
      if (edited.trim() === '') {
        o.out('Edit cancelled, saved file was empty.');
        return [];
      }
      if (notes === '' && edited === originalStripped) {
        o.out('Edit cancelled, no changes made.');
        return [];
      }
      if (notes !== '' && edited === previous) {
        keep = true;
        o.err(`A copy of your changes has been stored to "${path}"\n`);
        throw new UsageError('Edit cancelled, no valid changes were saved.');
      }
      previous = edited;

      const parsed = parseManifests({ name: path, text: edited });
      const syntax = parsed.errors[0];
      if (syntax) {
        notes = `# The edited file had a syntax error: ${syntax.message.replace(`error parsing ${path}: `, '')}\n#\n`;
        body = edited;
        continue;
      }
      const objects = parsed.manifests.map((m) => m.object);
      const pairs: Array<{ e: Editing; edited: KubeObject }> = [];
      for (const [i, obj] of objects.entries()) {
        const match = pending.length === objects.length ? pending[i]! : pending.find((e) => sameObject(e.original, obj));
        if (!match || !sameObject(match.original, { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? match.original.metadata?.namespace } })) {
          keep = true;
          o.err(`A copy of your changes has been stored to "${path}"\n`);
          throw new UsageError('At least one of apiVersion, kind and name was changed');
        }
        const withNs = match.resource.namespaced ? assignNamespace(obj, true, match.original.metadata?.namespace ?? o.namespace, false) : obj;
        pairs.push({ e: match, edited: withNs });
      }

      const invalid: Array<{ e: Editing; edited: KubeObject; error: ApiError }> = [];
      const failed: Error[] = [];
      for (const { e, edited: obj } of pairs) {
        let patch;
        try {
          patch = await editPatch(openapi, e.resource, show(e.original) as Record<string, unknown>, obj as Record<string, unknown>);
        } catch (err) {
          if (err instanceof EditIdentityChangedError) {
            keep = true;
            o.err(`A copy of your changes has been stored to "${path}"\n`);
          }
          throw err;
        }
        const name = e.original.metadata?.name ?? '';
        if (goJson(patch.patch) === '{}') {
          o.out(`${objectName(e.resource, e.original)} skipped`);
          continue;
        }
        const api = e.resource.namespaced ? Api.namespaced(o.client, e.resource, e.original.metadata?.namespace) : Api.cluster(o.client, e.resource);
        try {
          await api.patch(name, { type: patch.type, body: patch.patch }, { fieldManager: o.fieldManager ?? 'ktx-edit', ...(o.fieldValidation ? { fieldValidation: o.fieldValidation } : {}) });
          o.out(`${objectName(e.resource, e.original)} edited`);
        } catch (err) {
          if (err instanceof ApiError && err.isInvalid()) invalid.push({ e, edited: obj, error: err });
          else if (err instanceof ApiError && err.isNotFound()) {
            keep = true;
            failed.push(new UsageError(`The edits you made on deleted resources have been saved to "${path}"`));
          } else {
            keep = true;
            const msg = err instanceof Error ? err.message : String(err);
            failed.push(new UsageError(`${qualifiedResource(e.resource)} "${name}" could not be patched: ${msg}`, `You can run \`ktx apply --server-side=false -f ${path}\` to try this update again.`));
          }
        }
      }
      if (failed.length) return failed;
      if (invalid.length === 0) return [];
      for (const i of invalid) o.err(`error: ${qualifiedResource(i.e.resource)} "${i.e.original.metadata?.name ?? ''}" is invalid\n`);
      notes = invalid
        .map(({ e, error }) => {
          const causes = error.details?.causes?.length ? error.details.causes.map((c) => `# * ${c.field ?? ''}: ${c.message ?? ''}`) : [`# * ${error.message}`];
          return `# ${qualifiedResource(e.resource)} "${e.original.metadata?.name ?? ''}" was not valid:\n${causes.join('\n')}\n#\n`;
        })
        .join('');
      pending = invalid.map((i) => i.e);
      body = invalid.length === pairs.length ? edited : render(invalid.map((i) => i.edited), json);
      previous = stripComments(body);
    }
  } finally {
    if (!keep) await rm(path, { force: true });
  }
}
