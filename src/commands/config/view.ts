// `config view`: the merged kubeconfig (or one file) in kubectl's form, secrets hidden unless --raw.
import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { UsageError } from '../../cli/errors.js';
import type { GlobalFlags } from '../../cli/global-flags.js';
import { KtxError } from '../../lib/errors.js';
import { executeJsonPath, jsonPathAsJson, jsonPathExecErrorMessage, jsonPathParseErrorMessage, parseJsonPath } from '../../ui/print/jsonpath.js';
import { marshalGoYaml } from '../../ui/print/yaml.js';
import { configAccess, startingConfig } from './access.js';
import { marshalGoStructJson } from './go-json.js';
import { flatten, isV1Struct, minify, shorten, toV1 } from './v1.js';

const PRINTER_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

interface ViewArgs extends GlobalFlags {
  output: string;
  template?: string;
  'allow-missing-template-keys': boolean;
  raw?: boolean;
  flatten?: boolean;
  minify?: boolean;
  merge?: boolean;
  args?: string[];
}

async function renderJsonPath(document: Record<string, unknown>, name: string, spec: string, allowMissingKeys: boolean): Promise<string> {
  const text = name === 'jsonpath-file' ? await readFile(spec, 'utf8') : spec;
  let template;
  try {
    template = parseJsonPath(text);
  } catch (err) {
    throw new KtxError(jsonPathParseErrorMessage(text, err));
  }
  try {
    return name === 'jsonpath-as-json' ? jsonPathAsJson(template, document) : executeJsonPath(template, document, { allowMissingKeys });
  } catch (err) {
    // The message carries kubectl's own final newline; reportError adds one more.
    throw new KtxError(jsonPathExecErrorMessage(text, err, document).replace(/\n$/, ''));
  }
}

/** The text `config view` prints for the document in `format` (`-o NAME[=SPEC]`, or `--template`). */
async function render(document: Record<string, unknown>, argv: ViewArgs): Promise<string> {
  const format = argv.output;
  const eq = format.indexOf('=');
  const name = eq < 0 ? format : format.slice(0, eq);
  const spec = eq < 0 ? (argv.template ?? '') : format.slice(eq + 1);
  switch (name) {
    case 'yaml':
      return marshalGoYaml(document);
    case 'json':
      return `${marshalGoStructJson(document, isV1Struct)}\n`;
    case 'name':
      // A Config has no metadata, so kubectl's name printer knows no name for it.
      return 'config/<unknown>\n';
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json':
      return renderJsonPath(document, name, spec, argv['allow-missing-template-keys']);
    default:
      if (PRINTER_FORMATS.split(',').includes(name ?? '')) throw new KtxError(`--output ${name} is not supported by ktx config view yet`);
      throw new KtxError(`unable to match a printer suitable for the output format "${format}", allowed formats are: ${PRINTER_FORMATS}`);
  }
}

export const viewCommand: CommandModule<GlobalFlags, ViewArgs> = {
  command: 'view [args..]',
  describe: 'Display merged kubeconfig settings or a specified kubeconfig file',
  builder: (y) =>
    y
      .positional('args', { type: 'string', array: true, describe: 'None; kubectl rejects any' })
      .option('output', { alias: 'o', type: 'string', default: 'yaml', describe: 'Output format. One of: json, yaml, name, jsonpath=…, jsonpath-file=…, jsonpath-as-json=…' })
      .option('template', { type: 'string', describe: 'Template string or path to template file to use when -o=jsonpath' })
      .option('allow-missing-template-keys', { type: 'boolean', default: true, describe: 'Ignore errors in templates when a field or map key is missing' })
      .option('raw', { type: 'boolean', describe: 'Display raw byte data and sensitive data' })
      .option('flatten', { type: 'boolean', describe: 'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)' })
      .option('minify', { type: 'boolean', describe: 'Remove all information not used by current-context from the output' })
      .option('merge', { type: 'boolean', describe: 'Merge the full hierarchy of kubeconfig files (default true)' }),
  handler: async (argv) => {
    const unexpected = argv.args ?? [];
    if (unexpected.length > 0) throw new UsageError(`unexpected arguments: [${unexpected.join(' ')}]`, "See 'ktx config view -h' for help and examples");
    const rules = configAccess(argv.kubeconfig);
    // With --kubeconfig kubectl reads just that file; --merge=false needs one to read.
    if (argv.merge === false && !rules.explicitPath) throw new KtxError('if merge==false a precise file must be specified');
    const kubeconfig = await startingConfig(rules);
    let config = kubeconfig.config;
    if (argv.minify) config = minify(config, argv.context);
    if (argv.flatten) config = await flatten(config, kubeconfig);
    const document = toV1(config);
    if (!argv.flatten && !argv.raw) shorten(document);
    process.stdout.write(await render(document, argv));
  },
};
