// Every ktx subcommand, in the order `ktx --help` lists them.
//
// Registration is cheap: each entry carries only what `ktx --help` shows (the command line and its
// description); the command's module (and with it yargs options, the library, Ink…) is imported
// when yargs picks that command, for its builder or its handler. `ktx get pods` therefore loads
// get.ts and what it needs, and nothing of exec, apply or the live table. The modules keep their
// `xxxCommand` exports; test/packaging/lazy-commands.test.ts checks that the lines and
// descriptions here match theirs.
import type { Argv, CommandModule } from 'yargs';

/** What a lazily loaded command shows before its module is loaded. */
export interface LazyCommandSpec {
  command: string;
  describe: string | false;
  aliases?: readonly string[];
}

// Command modules are typed over their own argument interfaces; yargs only needs the shape.
type AnyCommand = CommandModule<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A command whose builder and handler import its module on first use. */
export function lazyCommand(spec: LazyCommandSpec, load: () => Promise<AnyCommand>): CommandModule<object, never> & { spec: LazyCommandSpec; load: () => Promise<AnyCommand> } {
  let loaded: Promise<AnyCommand> | undefined;
  const module = () => (loaded ??= load());
  return {
    spec,
    load: module,
    command: spec.command,
    describe: spec.describe,
    ...(spec.aliases ? { aliases: [...spec.aliases] } : {}),
    builder: async (y: Argv, helpOrVersionSet?: boolean) => {
      const { builder } = await module();
      if (typeof builder === 'function') return (builder as (y: Argv, h?: boolean) => Argv | PromiseLike<Argv>)(y, helpOrVersionSet);
      return builder ? y.options(builder) : y;
    },
    handler: async (argv: Parameters<AnyCommand['handler']>[0]) => {
      const { handler } = await module();
      await handler(argv);
    },
  } as unknown as CommandModule<object, never> & { spec: LazyCommandSpec; load: () => Promise<AnyCommand> };
}

export const lazyCommands = [
  lazyCommand({ command: 'get [args..]', describe: 'Display one or many resources' }, async () => (await import('./get.js')).getCommand),
  lazyCommand({ command: 'watch [args..]', describe: 'Watch resources in a live table (get -w)' }, async () => (await import('./watch.js')).watchCommand),
  lazyCommand({ command: 'api-resources', describe: 'Print the supported API resources on the server' }, async () => (await import('./api-resources.js')).apiResourcesCommand),
  lazyCommand(
    { command: 'api-versions', describe: 'Print the supported API versions on the server, in the form of "group/version"' },
    async () => (await import('./api-resources.js')).apiVersionsCommand,
  ),
  lazyCommand({ command: 'config', describe: 'Modify kubeconfig files' }, async () => (await import('./config.js')).configCommand),
  lazyCommand(
    { command: 'completion [shell..]', describe: 'Output shell completion code for the specified shell (bash or zsh)' },
    async () => (await import('./completion.js')).completionCommand,
  ),
  lazyCommand({ command: '__complete', describe: false }, async () => (await import('./completion.js')).completeCommand),
  lazyCommand({ command: 'exec [args..]', describe: 'Execute a command in a container' }, async () => (await import('./exec.js')).execCommand),
  lazyCommand({ command: 'attach [args..]', describe: 'Attach to a running container' }, async () => (await import('./attach.js')).attachCommand),
  lazyCommand(
    { command: 'port-forward [args..]', describe: 'Forward one or more local ports to a pod' },
    async () => (await import('./port-forward.js')).portForwardCommand,
  ),
  lazyCommand(
    { command: 'apply', describe: 'Apply a configuration to resources by file name or stdin (server-side apply by default)' },
    async () => (await import('./apply.js')).applyCommand,
  ),
  lazyCommand({ command: 'diff', describe: 'Diff the live version against the version that would be applied' }, async () => (await import('./diff.js')).diffCommand),
  lazyCommand(
    { command: 'delete [args..]', describe: 'Delete resources by file names, stdin, resources and names, or by resources and label selector' },
    async () => (await import('./delete.js')).deleteCommand,
  ),
  lazyCommand({ command: 'edit [args..]', describe: 'Edit resources in your editor ($KUBE_EDITOR, $EDITOR, or vi)' }, async () => (await import('./edit.js')).editCommand),
  lazyCommand({ command: 'ui [type]', describe: 'Open the interactive explorer (k9s-style) over the current context' }, async () => (await import('./ui.js')).uiCommand),
  lazyCommand({ command: 'version [args..]', describe: 'Print the client and server version information' }, async () => (await import('./version.js')).versionCommand),
  lazyCommand({ command: 'logs [args..]', describe: 'Print the logs for a container in a pod' }, async () => (await import('./logs.js')).logsCommand),
];

export const commands = lazyCommands as unknown as Array<CommandModule<object, never>>;
