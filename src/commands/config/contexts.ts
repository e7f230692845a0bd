// `config get-contexts`, `current-context`, `use-context` and `set-context`, with kubectl's texts.
import type { CommandModule } from 'yargs';
import type { Context } from '../../lib/config/index.js';
import { KtxError } from '../../lib/errors.js';
import { ExitCode } from '../../cli/errors.js';
import type { GlobalFlags } from '../../cli/global-flags.js';
import { compareCodePoints, goQuote } from '../../ui/print/gofmt.js';
import { TabWriter } from '../../ui/print/tabwriter.js';
import { configAccess, modifyConfig, startingConfig } from './access.js';
import { CommandHelp } from './help.js';

interface GetContextsArgs extends GlobalFlags {
  names?: string[];
  output?: string;
  'no-headers'?: boolean;
}

export const getContextsCommand: CommandModule<GlobalFlags, GetContextsArgs> = {
  command: 'get-contexts [names..]',
  describe: 'Describe one or many contexts',
  builder: (y) =>
    y
      .positional('names', { type: 'string', array: true, describe: 'Contexts to show (default: all)' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output format. One of: name' })
      .option('no-headers', { type: 'boolean', describe: "When using the default output format, don't print headers." }),
  handler: async (argv) => {
    const output = argv.output ?? '';
    if (output !== '' && output !== 'name') {
      throw new KtxError(`--output ${output} is not available in ktx config get-contexts; resetting to default output format`);
    }
    const nameOnly = output === 'name';
    const showHeaders = !nameOnly && argv['no-headers'] !== true;
    const kubeconfig = await startingConfig(configAccess(argv.kubeconfig));
    const requested = argv.names ?? [];
    const errors: string[] = [];
    const names = requested.length === 0 ? kubeconfig.config.contexts.map((c) => c.name) : [];
    for (const name of requested) {
      if (kubeconfig.context(name)) names.push(name);
      else errors.push(`context ${name} not found`);
    }
    names.sort(compareCodePoints);
    if (nameOnly) {
      process.stdout.write(names.map((n) => `${n}\n`).join(''));
    } else {
      const rows = showHeaders ? [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']] : [];
      for (const name of names) {
        const c = kubeconfig.context(name) ?? {};
        rows.push([name === kubeconfig.currentContext ? '*' : ' ', name, c.cluster ?? '', c.user ?? '', c.namespace ?? '']);
      }
      process.stdout.write(new TabWriter().format(rows));
    }
    // kubectl prefixes a single error with `error: ` and lists several bare, one per line.
    if (errors.length === 1) throw new KtxError(errors[0]);
    if (errors.length > 1) throw new ExitCode(1, errors.join('\n'));
  },
};

export const currentContextCommand: CommandModule<GlobalFlags, GlobalFlags> = {
  command: 'current-context',
  describe: 'Display the current-context',
  handler: async (argv) => {
    const kubeconfig = await startingConfig(configAccess(argv.kubeconfig));
    if (!kubeconfig.currentContext) throw new KtxError('current-context is not set');
    process.stdout.write(`${kubeconfig.currentContext}\n`);
  },
};

const useContextHelp = new CommandHelp();
const setContextHelp = new CommandHelp();

interface UseContextArgs extends GlobalFlags {
  name?: string[];
}

export const useContextCommand: CommandModule<GlobalFlags, UseContextArgs> = {
  command: ['use-context [name..]', 'use'],
  describe: 'Set the current-context in a kubeconfig file',
  // One name, checked by the handler so that the errors read as kubectl's.
  builder: (y) => {
    useContextHelp.keep(y);
    return y.positional('name', { type: 'string', array: true, describe: 'The context to use' });
  },
  handler: async (argv) => {
    const args = argv.name ?? [];
    if (args.length !== 1) throw useContextHelp.unexpectedArgs(args);
    const name = args[0]!;
    const rules = configAccess(argv.kubeconfig);
    const kubeconfig = await startingConfig(rules);
    if (name === '') throw new KtxError('empty context names are not allowed');
    if (!kubeconfig.context(name)) throw new KtxError(`no context exists with the name: ${goQuote(name)}`);
    await modifyConfig(rules, { currentContext: name });
    process.stdout.write(`Switched to context ${goQuote(name)}.\n`);
  },
};

interface SetContextArgs extends GlobalFlags {
  name?: string[];
  current?: boolean;
}

export const setContextCommand: CommandModule<GlobalFlags, SetContextArgs> = {
  command: 'set-context [name..]',
  describe: 'Set a context entry in kubeconfig',
  builder: (y) => {
    setContextHelp.keep(y);
    return y
      .usage('$0 config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace]')
      .positional('name', { type: 'string', array: true, describe: 'The context to create or modify' })
      .option('current', { type: 'boolean', describe: 'Modify the current context' });
  },
  handler: async (argv) => {
    const args = argv.name ?? [];
    if (args.length > 1) throw setContextHelp.unexpectedArgs(args);
    const given = args[0] ?? '';
    if (given === '' && !argv.current) throw new KtxError('you must specify a non-empty context name or --current');
    if (given !== '' && argv.current) throw new KtxError('you cannot specify both a context name and --current');
    const rules = configAccess(argv.kubeconfig);
    const kubeconfig = await startingConfig(rules);
    const name = argv.current ? kubeconfig.currentContext : given;
    if (!name) throw new KtxError('no current context is set');
    const existing = kubeconfig.context(name);
    // --cluster, --user and --namespace here name the context's fields; an empty value clears one.
    const context: Context = { cluster: '', user: '', ...structuredClone(existing ?? {}) };
    if (argv.cluster !== undefined) context.cluster = argv.cluster;
    if (argv.user !== undefined) context.user = argv.user;
    if (argv.namespace !== undefined) context.namespace = argv.namespace;
    await modifyConfig(rules, { context: { name, context } });
    process.stdout.write(`Context ${goQuote(name)} ${existing ? 'modified' : 'created'}.\n`);
  },
};
