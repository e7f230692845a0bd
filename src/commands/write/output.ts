// The lines and documents apply, delete and edit print, as kubectl's printers write them.
import { UsageError } from '../../cli/errors.js';
import type { ApiResource, KubeObject } from '../../lib/api/resource.js';
import { resourceName, stripManagedFields, toJson, toYaml } from '../../ui/print/index.js';
import { dryRunSuffix, type DryRun } from './flags.js';

/** `-o` for write commands: the operation lines (default), names, or the resulting objects. */
export type WriteOutput = 'default' | 'name' | 'yaml' | 'json';

export function parseWriteOutput(value: string | undefined, allowed: WriteOutput[] = ['name', 'yaml', 'json']): WriteOutput {
  if (value === undefined || value === '') return 'default';
  if ((allowed as string[]).includes(value)) return value as WriteOutput;
  const formats = [...allowed].sort().join(', ');
  throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${formats}`);
}

/** `deployment.apps/web`: NamePrinter's name of an object. */
export function objectName(resource: Pick<ApiResource, 'kind' | 'group'>, obj: KubeObject): string {
  return resourceName(obj.kind ?? resource.kind, resource.group, obj.metadata?.name ?? '');
}

/** `deployment.apps/web configured (server dry run)`, or just the name with `-o name`. */
export function operationLine(resource: Pick<ApiResource, 'kind' | 'group'>, obj: KubeObject, operation: string, dryRun: DryRun, output: WriteOutput): string {
  if (output === 'name') return `${objectName(resource, obj)}\n`;
  return `${objectName(resource, obj)} ${operation}${dryRunSuffix(dryRun)}\n`;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/**
 * The objects as `-o yaml`/`-o json` print them at the end of an apply: the object alone, or a
 * `List` (whose JSON keeps kubectl's kind/apiVersion/metadata/items order). managedFields are left out.
 */
export function renderObjects(objects: KubeObject[], format: 'yaml' | 'json'): string {
  const items = objects.map((o) => stripManagedFields(o));
  if (items.length === 1) return format === 'yaml' ? toYaml(items[0]) : toJson(items[0]);
  if (format === 'yaml') return toYaml({ apiVersion: 'v1', items, kind: 'List', metadata: {} });
  const body = items.map((o) => indent(toJson(o).replace(/\n$/, ''), '        ')).join(',\n');
  return `{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n    "items": [${items.length ? `\n${body}\n    ` : ''}]\n}\n`;
}
