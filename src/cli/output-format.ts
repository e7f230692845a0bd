import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** A parsed `-o/--output` value. */
export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string; asJson: boolean }
  | { kind: 'custom-columns'; spec: string; fromFile: boolean };

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Reads `-o` (and `--template`) the way kubectl's print flags do. */
export function parseOutputFormat(output: string | undefined, template?: string): OutputFormat {
  const value = output ?? '';
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? (template ?? '') : value.slice(eq + 1);
  switch (name) {
    case '':
      return { kind: 'table', wide: false };
    case 'wide':
      return { kind: 'table', wide: true };
    case 'json':
      return { kind: 'json' };
    case 'yaml':
      return { kind: 'yaml' };
    case 'name':
      return { kind: 'name' };
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (!arg) throw new UsageError('template format specified but no template given');
      return { kind: 'jsonpath', template: arg, asJson: name === 'jsonpath-as-json' };
    case 'jsonpath-file':
      if (!arg) throw new UsageError('template format specified but no template file given');
      return { kind: 'jsonpath', template: readTemplateFile(arg), asJson: false };
    case 'custom-columns':
      if (!arg) throw new UsageError('custom-columns format specified but no custom columns given');
      return { kind: 'custom-columns', spec: arg, fromFile: false };
    case 'custom-columns-file':
      return { kind: 'custom-columns', spec: readTemplateFile(arg), fromFile: true };
    case 'go-template':
    case 'go-template-file':
    case 'template':
    case 'templatefile':
      throw new UsageError(`ktx does not support Go templates (-o ${name}); use -o jsonpath=… or -o custom-columns=… instead`);
    default:
      throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${ALLOWED}`);
  }
}

function readTemplateFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `error reading template ${file}, open ${file}: no such file or directory` : `error reading template ${file}: ${(err as Error).message}`);
  }
}

/** The printer name kubectl uses in messages such as `--show-labels option cannot be used with json printer`. */
export function printerName(f: OutputFormat): string {
  switch (f.kind) {
    case 'table':
      return 'human-readable';
    case 'jsonpath':
      return f.asJson ? 'jsonpath-as-json' : 'jsonpath';
    default:
      return f.kind;
  }
}
