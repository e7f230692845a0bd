// ktx version: the client's and the server's versions, printed as kubectl prints them (without
// kubectl's Kustomize line: ktx bundles no kustomize).
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { KTX_LIB_VERSION } from '../lib/version.js';

interface VersionArgs extends GlobalFlags {
  client?: boolean;
  output?: string;
  args?: string[];
}

/** ktx's half of `version -o json`: kubectl's `clientVersion` field names, with Node in place of Go. */
export interface ClientVersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  nodeVersion: string;
  platform: string;
}

/** The server's `/version` answer (k8s.io/apimachinery version.Info), kept exactly as sent. */
export type ServerVersionInfo = Record<string, unknown> & { gitVersion?: string };

// Go's GOARCH names, which kubectl shows in `platform`.
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

export function clientVersionInfo(): ClientVersionInfo {
  const [major = '0', minor = '0'] = KTX_LIB_VERSION.split('.');
  return {
    major,
    minor,
    gitVersion: `v${KTX_LIB_VERSION}`,
    nodeVersion: process.version,
    platform: `${process.platform}/${GOARCH[process.arch] ?? process.arch}`,
  };
}

export const versionCommand: CommandModule<object, VersionArgs> = {
  command: 'version [args..]',
  describe: 'Print the client and server version information',
  builder: (y: Argv) =>
    y
      .positional('args', { type: 'string', array: true, hidden: true })
      .option('client', { type: 'boolean', describe: 'If true, shows client version only (no server required).' })
      .option('output', { alias: 'o', type: 'string', describe: "One of 'yaml' or 'json'." }) as unknown as Argv<VersionArgs>,
  handler: async (argv) => {
    const extra = argv.args ?? [];
    if (extra.length > 0) throw new UsageError(`extra arguments: [${extra.join(' ')}]`);
    const output = argv.output ?? '';
    if (output !== '' && output !== 'json' && output !== 'yaml') throw new UsageError("--output must be 'yaml' or 'json'");
    const client = clientVersionInfo();
    let server: ServerVersionInfo | undefined;
    let failure: unknown;
    if (!argv.client) {
      try {
        const { openSession } = await import('../cli/session.js');
        const session = await openSession(argv);
        server = await session.client.json<ServerVersionInfo>({ path: '/version' });
      } catch (err) {
        failure = err;
      }
    }
    // Like kubectl, what is known is printed before the server's error is reported.
    if (output === '') {
      let text = `Client Version: ${client.gitVersion}\n`;
      if (server) text += `Server Version: ${String(server.gitVersion ?? '')}\n`;
      process.stdout.write(text);
    } else {
      const doc = { clientVersion: client, ...(server ? { serverVersion: server } : {}) };
      if (output === 'json') {
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      } else {
        const { marshalGoYaml } = await import('../ui/print/yaml.js');
        // kubectl prints the YAML with Println: one more newline.
        process.stdout.write(`${marshalGoYaml(doc)}\n`);
      }
    }
    if (failure !== undefined) throw failure;
  },
};
