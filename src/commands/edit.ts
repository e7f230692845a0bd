// ktx edit: kubectl's edit loop — open the objects in an editor, patch what changed, reopen on errors.
import { randomInt } from 'node:crypto';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { setExitCode } from '../cli/exit.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { parseResourceArgs } from '../cli/resource-args.js';
import { openSession, type Session } from '../cli/session.js';
import { Api } from '../lib/api/api.js';
import { qualifiedResource, type ApiResource, type KubeObject } from '../lib/api/resource.js';
import { editPatch, EditIdentityChangedError } from '../lib/apply/edit.js';
import { goJson } from '../lib/apply/go-json.js';
import { ResourceMapper } from '../lib/apply/mapper.js';
import { OpenApiV3 } from '../lib/apply/openapi.js';
import { ApiError } from '../lib/errors.js';
import { assignNamespace, loadManifests, parseManifests } from '../lib/manifests/index.js';
import { stripManagedFields, toJson, toYaml } from '../ui/print/index.js';
import { reportErrors } from './write/errors.js';
import { parseValidate, rejectKustomize, withFilenameFlags, type FilenameFlags } from './write/flags.js';
import { objectName } from './write/output.js';

export interface EditArgs extends GlobalFlags, FilenameFlags {
  args?: string[];
  output?: string;
  'field-manager'?: string;
  'show-managed-fields'?: boolean;
  validate?: string;
}

export const editCommand: CommandModule<object, EditArgs> = {
  command: 'edit [args..]',
  describe: 'Edit resources in your editor ($KUBE_EDITOR, $EDITOR, or vi)',
  builder: (y: Argv) =>
    withFilenameFlags(y, 'resources to edit')
      .positional('args', { type: 'string', array: true, describe: '(TYPE[.VERSION][.GROUP] NAME | TYPE[.VERSION][.GROUP]/NAME ...)' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output format for the file to edit: yaml (default) or json' })
      .option('field-manager', { type: 'string', default: 'ktx-edit', describe: 'Name of the manager used to track field ownership' })
      .option('show-managed-fields', { type: 'boolean', describe: 'Keep managedFields in the file' })
      .option('validate', { type: 'string', default: 'strict', describe: 'Field validation on the server: strict, warn or ignore' }) as unknown as Argv<EditArgs>,
  handler: async (argv) => runEdit(argv),
};

/** kubectl edit's header, verbatim. */
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** One object being edited: where it lives and how it looked when the editor opened. */
interface Editing {
  resource: ApiResource;
  original: KubeObject;
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

async function launchEditor(path: string): Promise<void> {
  const { execa } = await import('execa');
  const cmd = editorCommand(process.env, path);
  const shown = [cmd.file, ...cmd.args.slice(0, -1)].join(' ');
  const r = await execa(cmd.file, cmd.args, { stdio: 'inherit', reject: false });
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

export async function runEdit(argv: EditArgs): Promise<void> {
  rejectKustomize(argv);
  const args = argv.args ?? [];
  const files = argv.filename ?? [];
  const json = argv.output === 'json';
  if (argv.output !== undefined && argv.output !== 'yaml' && argv.output !== 'json') {
    throw new UsageError(`the flag 'output' (-o) must be 'yaml' or 'json'`);
  }
  if (args.length === 0 && files.length === 0) {
    throw new UsageError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const fieldValidation = parseValidate(argv.validate);
  const session = await openSession(argv);
  const editing = await fetchObjects(session, argv, args, files);
  if (editing.length === 0) return;
  const show = (o: KubeObject) => (argv['show-managed-fields'] ? o : stripManagedFields(o));
  const openapi = new OpenApiV3(session.client);

  const path = join(tmpdir(), `ktx-edit-${randomInt(1e9, 1e10)}.${json ? 'json' : 'yaml'}`);
  const fh = await open(path, 'wx', 0o600);
  await fh.close();
  let keep = false;
  let pending = editing;
  let body = render(pending.map((e) => show(e.original)), json);
  const originalStripped = stripComments(body);
  let notes = '';
  let previous: string | undefined;
  try {
    for (;;) {
      await writeFile(path, `${HEADER}${notes}${body}`, { mode: 0o600 });
      await launchEditor(path);
      const edited = stripComments(await readFile(path, 'utf8'));
      if (edited.trim() === '') {
        process.stdout.write('Edit cancelled, saved file was empty.\n');
        return;
      }
      if (notes === '' && edited === originalStripped) {
        process.stdout.write('Edit cancelled, no changes made.\n');
        return;
      }
      if (notes !== '' && edited === previous) {
        keep = true;
        process.stderr.write(`A copy of your changes has been stored to "${path}"\n`);
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
          process.stderr.write(`A copy of your changes has been stored to "${path}"\n`);
          throw new UsageError('At least one of apiVersion, kind and name was changed');
        }
        const withNs = match.resource.namespaced ? assignNamespace(obj, true, match.original.metadata?.namespace ?? session.namespace, false) : obj;
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
            process.stderr.write(`A copy of your changes has been stored to "${path}"\n`);
          }
          throw err;
        }
        const name = e.original.metadata?.name ?? '';
        if (goJson(patch.patch) === '{}') {
          process.stdout.write(`${objectName(e.resource, e.original)} skipped\n`);
          continue;
        }
        const api = e.resource.namespaced ? Api.namespaced(session.client, e.resource, e.original.metadata?.namespace) : Api.cluster(session.client, e.resource);
        try {
          await api.patch(name, { type: patch.type, body: patch.patch }, { fieldManager: argv['field-manager'] ?? 'ktx-edit', fieldValidation });
          process.stdout.write(`${objectName(e.resource, e.original)} edited\n`);
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
      if (failed.length) {
        process.stderr.write(reportErrors(failed));
        setExitCode(1);
        return;
      }
      if (invalid.length === 0) return;
      for (const i of invalid) process.stderr.write(`error: ${qualifiedResource(i.e.resource)} "${i.e.original.metadata?.name ?? ''}" is invalid\n`);
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

/** The objects to edit, read from the server: TYPE NAME…, TYPE/NAME…, or the objects named in -f files. */
async function fetchObjects(session: Session, argv: EditArgs, args: string[], files: string[]): Promise<Editing[]> {
  const refs: Array<{ resource: ApiResource; name: string; namespace: string | undefined }> = [];
  if (files.length) {
    const loaded = await loadManifests(files, { recursive: !!argv.recursive });
    if (loaded.errors[0]) throw loaded.errors[0];
    const mapper = new ResourceMapper(session.discovery);
    for (const m of loaded.manifests) {
      const resource = await mapper.map(m.object.apiVersion ?? '', m.object.kind ?? '');
      const obj = assignNamespace(m.object, resource.namespaced, session.namespace, session.namespaceExplicit);
      refs.push({ resource, name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace });
    }
  } else {
    const parsed = parseResourceArgs(args, 'edit');
    if (parsed.form === 'pairs') {
      for (const { type, name } of parsed.pairs) {
        const [resource] = await session.discovery.resolve(type);
        refs.push({ resource: resource!, name, namespace: session.namespace });
      }
    } else {
      const resources: ApiResource[] = [];
      for (const t of parsed.types) resources.push(...(await session.discovery.resolve(t)));
      if (parsed.names.length === 0) {
        for (const r of resources) {
          const api = r.namespaced ? Api.namespaced(session.client, r, session.namespace) : Api.cluster(session.client, r);
          for await (const o of api.listAll()) refs.push({ resource: r, name: o.metadata?.name ?? '', namespace: o.metadata?.namespace });
        }
      } else {
        for (const r of resources) for (const name of parsed.names) refs.push({ resource: r, name, namespace: session.namespace });
      }
    }
  }
  const out: Editing[] = [];
  for (const ref of refs) {
    const api = ref.resource.namespaced ? Api.namespaced(session.client, ref.resource, ref.namespace) : Api.cluster(session.client, ref.resource);
    const obj = await api.get(ref.name);
    out.push({ resource: ref.resource, original: { apiVersion: ref.resource.group ? `${ref.resource.group}/${ref.resource.version}` : ref.resource.version, kind: ref.resource.kind, ...obj } });
  }
  return out;
}
