// ktx edit: kubectl's edit loop (ui/edit-loop.ts) over the objects named on the command line.
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import { setExitCode } from '../cli/exit.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { parseResourceArgs } from '../cli/resource-args.js';
import { openSession, type Session } from '../cli/session.js';
import { Api } from '../lib/api/api.js';
import type { ApiResource } from '../lib/api/resource.js';
import { ResourceMapper } from '../lib/apply/mapper.js';
import { assignNamespace, loadManifests } from '../lib/manifests/index.js';
import { editing, runEditLoop, type Editing } from '../ui/edit-loop.js';
import { reportErrors } from './write/errors.js';
import { parseValidate, rejectKustomize, withFilenameFlags, type FilenameFlags } from './write/flags.js';

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
  const objects = await fetchObjects(session, argv, args, files);
  if (objects.length === 0) return;
  const failed = await runEditLoop({
    client: session.client,
    namespace: session.namespace,
    objects,
    json,
    showManagedFields: !!argv['show-managed-fields'],
    fieldManager: argv['field-manager'] ?? 'ktx-edit',
    fieldValidation,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(text),
  });
  if (failed.length) {
    process.stderr.write(reportErrors(failed));
    setExitCode(1);
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
    out.push(editing(ref.resource, await api.get(ref.name)));
  }
  return out;
}
