// `config set-cluster` and `config set-credentials`: merge the given fields into a cluster or user
// entry as kubectl does (its rules for what one field clears of another, paths made absolute from
// the working directory, files embedded as data), then write the entry back to the file that
// defines it with client-go's path rule: paths inside that file's directory become relative, others
// stay absolute.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { defaultWriteTarget, mapClusterPaths, mapUserPaths, relativizeKubeconfigPath, resolveKubeconfigPath, type Cluster, type Kubeconfig, type User } from '../../lib/config/index.js';
import { KtxError } from '../../lib/errors.js';
import type { GlobalFlags } from '../../cli/global-flags.js';
import { goQuote } from '../../ui/print/gofmt.js';
import { configAccess, modifyConfig, startingConfig } from './access.js';
import { CommandHelp } from './help.js';
import { toV1 } from './v1.js';

interface SetEntryArgs extends GlobalFlags {
  names?: string[];
  'embed-certs'?: boolean;
  'proxy-url'?: string;
  username?: string;
  password?: string;
}

/** Go's error for a failed os.Stat/ReadFile: `stat ca.crt: no such file or directory`. */
function goFileError(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
  return `${op} ${path}: ${why}`;
}

/** The file the entry is written to, and the entry as client-go holds it (paths absolute). */
async function startingEntry<K extends 'cluster' | 'user'>(kubeconfig: Kubeconfig, kind: K, name: string, argv: GlobalFlags) {
  const rules = configAccess(argv.kubeconfig);
  const origin = kubeconfig.originOf(kind, name);
  const file = origin ?? (rules.explicitPath ?? (await defaultWriteTarget(rules)));
  const existing = kind === 'cluster' ? kubeconfig.cluster(name) : kubeconfig.user(name);
  return { rules, file, originDir: dirname(resolve(origin ?? file)), existing: structuredClone(existing) as (K extends 'cluster' ? Cluster : User) | undefined };
}

/** The one name these commands take; otherwise kubectl shows the help and fails. */
function oneName(argv: SetEntryArgs, help: CommandHelp, word: 'Unexpected' | 'unexpected'): string {
  const names = argv.names ?? [];
  if (names.length !== 1) throw help.unexpectedArgs(names, word);
  return names[0]!;
}

const clusterHelp = new CommandHelp();
const credentialsHelp = new CommandHelp();

export const setClusterCommand: CommandModule<GlobalFlags, SetEntryArgs> = {
  command: 'set-cluster [names..]',
  describe: 'Set a cluster entry in kubeconfig (given fields merged into an existing one)',
  builder: (y: Argv<GlobalFlags>) => {
    return clusterHelp
      .keep(y)
      .usage('$0 config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com]')
      .positional('names', { type: 'string', array: true, describe: 'The cluster entry to set' })
      .option('embed-certs', { type: 'boolean', describe: 'embed-certs for the cluster entry in kubeconfig' })
      .option('proxy-url', { type: 'string', describe: 'proxy-url for the cluster entry in kubeconfig' }) as unknown as Argv<SetEntryArgs>;
  },
  handler: async (argv) => {
    const name = oneName(argv, clusterHelp, 'Unexpected');
    const ca = argv['certificate-authority'];
    if (argv['insecure-skip-tls-verify'] && ca !== undefined) throw new KtxError('you cannot specify a certificate authority and insecure mode at the same time');
    if (argv['embed-certs']) {
      if (ca === undefined) throw new KtxError('you must specify a --certificate-authority to embed');
      try {
        statSync(ca);
      } catch (err) {
        throw new KtxError(`could not stat certificate-authority file ${ca}: ${goFileError('stat', ca, err)}`);
      }
    }
    const kubeconfig = await startingConfig(configAccess(argv.kubeconfig));
    const { rules, file, originDir, existing } = await startingEntry(kubeconfig, 'cluster', name, argv);
    const before: Cluster = existing ?? { server: '' };
    mapClusterPaths(before, (path) => resolveKubeconfigPath(originDir, path));
    const cluster: Cluster = structuredClone(before);
    if (argv.server !== undefined) {
      cluster.server = argv.server;
      // A new server forgets the old one's TLS server name (set again just below when given).
      delete cluster['tls-server-name'];
    }
    if (argv['tls-server-name'] !== undefined) cluster['tls-server-name'] = argv['tls-server-name'];
    // kubectl 1.34 sets insecure-skip-tls-verify from its flag every time: not given, it is cleared.
    if (argv['insecure-skip-tls-verify']) {
      cluster['insecure-skip-tls-verify'] = true;
      delete cluster['certificate-authority'];
      delete cluster['certificate-authority-data'];
    } else {
      delete cluster['insecure-skip-tls-verify'];
    }
    if (ca !== undefined) {
      if (argv['embed-certs']) {
        cluster['certificate-authority-data'] = readFileSync(ca).toString('base64');
        delete cluster['insecure-skip-tls-verify'];
        delete cluster['certificate-authority'];
      } else {
        cluster['certificate-authority'] = resolve(ca);
        delete cluster['insecure-skip-tls-verify'];
        delete cluster['certificate-authority-data'];
      }
    }
    if (argv['proxy-url'] !== undefined) cluster['proxy-url'] = argv['proxy-url'];
    if (!existing || !sameEntry({ cluster: before }, { cluster })) {
      mapClusterPaths(cluster, (path) => relativizeKubeconfigPath(dirname(resolve(file)), path));
      await modifyConfig(rules, { cluster: { name, cluster } });
    }
    process.stdout.write(`Cluster ${goQuote(name)} set.\n`);
  },
};

export const setCredentialsCommand: CommandModule<GlobalFlags, SetEntryArgs> = {
  command: 'set-credentials [names..]',
  describe: 'Set a user entry in kubeconfig (given fields merged into an existing one)',
  builder: (y: Argv<GlobalFlags>) => {
    return credentialsHelp
      .keep(y)
      .usage('$0 config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [--embed-certs=true]')
      .positional('names', { type: 'string', array: true, describe: 'The user entry to set' })
      .option('embed-certs', { type: 'boolean', describe: 'Embed client cert/key for the user entry in kubeconfig' })
      .option('username', { type: 'string', describe: 'username for the user entry in kubeconfig' })
      .option('password', { type: 'string', describe: 'password for the user entry in kubeconfig' }) as unknown as Argv<SetEntryArgs>;
  },
  handler: async (argv) => {
    const name = oneName(argv, credentialsHelp, 'unexpected');
    const { token, username, password } = argv;
    const cert = argv['client-certificate'];
    const key = argv['client-key'];
    if (token !== undefined && (username !== undefined || password !== undefined)) throw new KtxError('you cannot specify more than one authentication method at the same time: --token, --username/--password');
    if (argv['embed-certs'] && cert === undefined && key === undefined) throw new KtxError('you must specify a --client-certificate or --client-key to embed');
    const kubeconfig = await startingConfig(configAccess(argv.kubeconfig));
    const { rules, file, originDir, existing } = await startingEntry(kubeconfig, 'user', name, argv);
    const before: User = existing ?? {};
    mapUserPaths(before, (path) => resolveKubeconfigPath(originDir, path));
    const user: User = structuredClone(before);
    // kubectl reads an embedded file without checking it: a missing one embeds nothing.
    const embedded = (path: string) => {
      try {
        return readFileSync(path).toString('base64');
      } catch {
        return undefined;
      }
    };
    if (cert !== undefined) {
      if (argv['embed-certs']) {
        user['client-certificate-data'] = embedded(cert);
        delete user['client-certificate'];
      } else {
        user['client-certificate'] = resolve(cert);
        delete user['client-certificate-data'];
      }
    }
    if (key !== undefined) {
      if (argv['embed-certs']) {
        user['client-key-data'] = embedded(key);
        delete user['client-key'];
      } else {
        user['client-key'] = resolve(key);
        delete user['client-key-data'];
      }
    }
    let setToken = false;
    let setBasic = false;
    if (token !== undefined) {
      user.token = token;
      setToken = token !== '';
    }
    if (username !== undefined) {
      user.username = username;
      setBasic ||= username !== '';
    }
    if (password !== undefined) {
      user.password = password;
      setBasic ||= password !== '';
    }
    // Setting one kind of credential clears the other.
    if (setToken || setBasic) {
      if (!setToken) delete user.token;
      if (!setBasic) {
        delete user.username;
        delete user.password;
      }
    }
    if (!existing || !sameEntry({ user: before }, { user })) {
      mapUserPaths(user, (path) => relativizeKubeconfigPath(dirname(resolve(file)), path));
      await modifyConfig(rules, { user: { name, user } });
    }
    process.stdout.write(`User ${goQuote(name)} set.\n`);
  },
};

/** Equal as kubectl would write them (its known fields, its omitempty rules). */
function sameEntry(a: { cluster?: Cluster; user?: User }, b: { cluster?: Cluster; user?: User }): boolean {
  const doc = (e: { cluster?: Cluster; user?: User }) =>
    JSON.stringify(toV1({ clusters: e.cluster ? [{ name: 'x', cluster: e.cluster }] : [], users: e.user ? [{ name: 'x', user: e.user }] : [], contexts: [] }));
  return doc(a) === doc(b);
}
