// `ktx config` against the reference kubectl: the same invocations on copies of the same kubeconfig
// files must print the same output, exit the same way, and leave byte-identical files behind.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cluster } from '../helpers/cluster.js';
import { expectSameAsKubectl, ktx, normalise, refKubectl, type CliResult } from '../helpers/differential.js';

const root = mkdtempSync(join(tmpdir(), 'ktx-config-'));
/** A copy of the test cluster's kubeconfig (JSON, three contexts, `admin` current). */
let clusterCopy: string;

// Every field kubectl knows, fields it drops, relative paths, and strings that need quoting or folding.
const RICH = `# a comment kubectl drops
apiVersion: v1
kind: Config
unknownTop: 1
preferences:
  colors: true
clusters:
- name: zeta
  cluster:
    server: https://z.example:6443
    insecure-skip-tls-verify: true
    tls-server-name: tz
    proxy-url: http://proxy:3128
    disable-compression: true
    certificate-authority: ca/z.crt
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: foo, list: [1, 2], "10": x, "9": z, Zed: 1}
    bogus: 1
- name: alpha
  cluster:
    certificate-authority-data: Zm9vCg==
users:
- name: u1
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./plug.sh
      args: [a, "true", "", "yes", "1.5", "a: b", "#c", " lead"]
      env: [{name: A, value: "b c"}]
      interactiveMode: Never
      installHint: "long hint with spaces that is definitely more than eighty characters long so that yaml folds it"
- name: u0
  user:
    username: bob
    password: secret
    token: tok-secret
    as: admin
    as-groups: [g1, g2]
    as-uid: "1234"
    as-user-extra: {scopes: [s1], b: [x]}
    tokenFile: tok
    client-certificate: certs/c.crt
    client-key: certs/c.key
    auth-provider:
      name: oidc
      config: {idp-issuer-url: "https://i", client-id: x}
- name: u2
  user: {}
contexts:
- name: c2
  context: {cluster: zeta, user: u1, namespace: ns1, extensions: [{name: e, extension: "str"}]}
- name: c1
  context: {}
- name: "*star"
  context: {cluster: "true", user: "@x"}
current-context: c2
extensions:
- name: top
  extension: {k: v}
`;

const NO_CURRENT = `apiVersion: v1
kind: Config
contexts:
- name: only
  context: {cluster: c, user: u, namespace: team-a}
`;

beforeAll(() => {
  clusterCopy = join(root, 'cluster.kubeconfig');
  cpSync(cluster().kubeconfig, clusterCopy);
  mkdirSync(join(root, 'rich', 'ca'), { recursive: true });
  mkdirSync(join(root, 'rich', 'certs'), { recursive: true });
  writeFileSync(join(root, 'rich', 'config'), RICH);
  writeFileSync(join(root, 'rich', 'ca', 'z.crt'), 'CA PEM\n');
  writeFileSync(join(root, 'rich', 'certs', 'c.crt'), 'CERT PEM\n');
  writeFileSync(join(root, 'rich', 'certs', 'c.key'), 'KEY PEM\n');
  writeFileSync(join(root, 'no-current'), NO_CURRENT);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = (kubeconfig: string) => ({ env: { KUBECONFIG: kubeconfig } });

describe('config view', () => {
  it.each([[[]], [['--raw']], [['--minify']], [['--minify', '--context', 'token-user']], [['-o', 'json']], [['--raw', '-o', 'json']], [['--flatten']], [['-o', 'name']]])(
    'matches kubectl on the cluster kubeconfig: %j',
    async (flags) => {
      await expectSameAsKubectl(['config', 'view', ...flags], {}, env(clusterCopy));
    },
  );

  it.each([[[]], [['--raw']], [['-o', 'json']], [['--minify']], [['--flatten', '--minify']], [['--flatten']], [['-o', 'jsonpath={.users[*].name}']], [['-o', 'jsonpath={.contexts[0]}']]])(
    'matches kubectl on a kubeconfig using every field: %j',
    async (flags) => {
      await expectSameAsKubectl(['config', 'view', '--kubeconfig', join(root, 'rich', 'config'), ...flags]);
    },
  );

  it('matches kubectl on merged KUBECONFIG files, missing ones skipped', async () => {
    const list = [join(root, 'missing'), clusterCopy, join(root, 'rich', 'config')].join(':');
    await expectSameAsKubectl(['config', 'view'], {}, env(list));
    await expectSameAsKubectl(['config', 'view', '--flatten', '--minify', '--context', 'c2'], {}, env(list));
  });

  it.each([
    [['config', 'view', '--minify'], 'no-current'],
    [['config', 'view', '--minify', '--context', 'nope'], 'cluster'],
    [['config', 'view', 'extra'], 'cluster'],
    [['config', 'view', '--merge=false'], 'cluster'],
    [['config', 'view', '-o', 'wide'], 'cluster'],
    [['config', 'view', '--kubeconfig', '/nonexistent/ktx-kubeconfig'], 'cluster'],
  ])('reports what kubectl reports: %j', async (args, file) => {
    await expectSameAsKubectl(args, {}, env(file === 'cluster' ? clusterCopy : join(root, file)));
  });
});

describe('config get-contexts, current-context, get-clusters, get-users', () => {
  it.each([
    [['get-contexts']],
    [['get-contexts', 'limited']],
    [['get-contexts', 'nope']],
    [['get-contexts', 'nope', 'admin', 'gone']],
    [['get-contexts', '-o', 'name']],
    [['get-contexts', '-o', 'name', 'nope']],
    [['get-contexts', '--no-headers']],
    [['get-contexts', '-o', 'json']],
    [['current-context']],
    [['get-clusters']],
    [['get-users']],
  ])('matches kubectl: %j', async (args) => {
    await expectSameAsKubectl(['config', ...args], {}, env(clusterCopy));
  });

  it('marks the current context and shows namespaces, sorted by name', async () => {
    await expectSameAsKubectl(['config', 'get-contexts'], {}, env(join(root, 'rich', 'config')));
    await expectSameAsKubectl(['config', 'get-contexts'], {}, env(`${join(root, 'no-current')}:${clusterCopy}`));
  });

  it('fails like kubectl when current-context is not set', async () => {
    const r = await expectSameAsKubectl(['config', 'current-context'], {}, env(join(root, 'no-current')));
    expect(r.stderr).toBe('error: current-context is not set');
  });
});

/** Every file under `dir` with its bytes and permission bits, keyed by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = `${(statSync(p).mode & 0o777).toString(8)}\n${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

interface WriteCase {
  /** Files to start from, by path relative to the case directory. */
  files: Record<string, string>;
  /** KUBECONFIG value; `@` stands for the case directory. */
  kubeconfigEnv?: string;
  /** The command line; `@` in an argument stands for the case directory. */
  args: string[];
}

/**
 * Runs the command through ktx and kubectl, each in its own copy of the files, and expects the same
 * output and exit code and the same files afterwards. Returns ktx's result and the final files.
 */
async function expectSameWrite(c: WriteCase): Promise<{ result: CliResult; files: Record<string, string> }> {
  const base = mkdtempSync(join(root, 'write-'));
  const dirs = { ktx: join(base, 'ktx'), kubectl: join(base, 'kubectl') };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir);
    for (const [name, text] of Object.entries(c.files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text, { mode: 0o644 });
    }
  }
  const at = (dir: string, s: string) => s.replaceAll('@', dir);
  const run = (dir: string, runner: typeof ktx) =>
    runner(
      c.args.map((a) => at(dir, a)),
      { cwd: dir, env: { KUBECONFIG: at(dir, c.kubeconfigEnv ?? '') } },
    );
  const [mine, theirs] = await Promise.all([run(dirs.ktx, ktx), run(dirs.kubectl, refKubectl)]);
  const view = (r: CliResult, dir: string) => ({
    exitCode: r.exitCode,
    stdout: normalise(r.stdout.replaceAll(dir, '@')),
    stderr: normalise(r.stderr.replaceAll(dir, '@')),
  });
  expect(view(mine, dirs.ktx), `ktx ${c.args.join(' ')}`).toEqual(view(theirs, dirs.kubectl));
  const files = snapshot(dirs.ktx);
  expect(files).toEqual(snapshot(dirs.kubectl));
  return { result: mine, files };
}

describe('config use-context and set-context write what kubectl writes', () => {
  const clusterFiles = () => ({ config: readFileSync(clusterCopy, 'utf8') });

  it('use-context rewrites the kubeconfig as kubectl does', async () => {
    const { result, files } = await expectSameWrite({ files: clusterFiles(), kubeconfigEnv: '@/config', args: ['config', 'use-context', 'limited'] });
    expect(result.stdout).toBe('Switched to context "limited".');
    expect(files.config).toContain('current-context: limited\n');
  });

  it.each([
    [['config', 'use-context', 'nope']],
    [['config', 'use-context', 'admin']],
    [['config', 'use', 'token-user']],
    [['config', 'use-context', 'limited', '--kubeconfig', '@/config']],
    [['config', 'set-context', '--current', '--namespace=team-x']],
    [['config', 'set-context', '--current']],
    [['config', 'set-context', 'admin', '--namespace=']],
    [['config', 'set-context', 'fresh', '--cluster=ktx-local', '--user=admin', '--namespace=y']],
    [['config', 'set-context', 'a', '--current']],
    [['config', 'set-context']],
  ])('matches kubectl on the cluster kubeconfig: %j', async (args) => {
    await expectSameWrite({ files: clusterFiles(), kubeconfigEnv: '@/config', args });
  });

  it.each([[['config', 'set-context', 'a', 'b']], [['config', 'use-context']], [['config', 'use-context', 'a', 'b']]])(
    'shows the help and fails on a wrong number of arguments, as kubectl does: %j',
    async (args) => {
      const [mine, theirs] = await Promise.all([ktx(args, env(clusterCopy)), refKubectl(args, env(clusterCopy))]);
      expect({ exitCode: mine.exitCode, stderr: mine.stderr }).toEqual({ exitCode: theirs.exitCode, stderr: theirs.stderr });
      expect(mine.stdout).toContain(`ktx ${args.slice(0, 2).join(' ')}`);
      expect(readFileSync(clusterCopy, 'utf8')).toBe(readFileSync(cluster().kubeconfig, 'utf8'));
    },
  );

  it('keeps relative paths and every known field, drops what kubectl drops', async () => {
    const files = { 'rich/config': RICH };
    await expectSameWrite({ files, kubeconfigEnv: '@/rich/config', args: ['config', 'use-context', 'c1'] });
    await expectSameWrite({ files, kubeconfigEnv: '@/rich/config', args: ['config', 'set-context', '--current', '--user=u0', '--namespace=ns2'] });
  });

  it('fails like kubectl when there is no current context to modify', async () => {
    await expectSameWrite({ files: { nc: NO_CURRENT }, kubeconfigEnv: '@/nc', args: ['config', 'set-context', '--current', '--namespace=x'] });
  });

  it('creates a missing --kubeconfig file and its directory', async () => {
    const { files } = await expectSameWrite({ files: {}, args: ['config', 'set-context', 'new', '--namespace=n1', '--kubeconfig', '@/sub/dir/kc'] });
    expect(Object.keys(files)).toEqual(['sub/dir/kc']);
  });
});

describe('writes across several KUBECONFIG files', () => {
  const files = {
    second: 'apiVersion: v1\nkind: Config\ncurrent-context: ""\n# only current-context lives here\n',
    third: 'contexts:\n- name: cc\n  context: {cluster: k, user: u}\n- name: dd\n  context: {cluster: k, user: u}\ncurrent-context: cc\n',
  };
  const chain = '@/first:@/second:@/third';

  it('use-context writes current-context to the first existing file and leaves the others alone', async () => {
    const { files: after } = await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'use-context', 'dd'] });
    expect(Object.keys(after).sort()).toEqual(['second', 'third']);
    expect(after.third).toBe(`644\n${files.third}`);
    expect(after.second).toContain('current-context: dd\n');
  });

  it('set-context edits the file that defines the context, and adds new ones to the first existing file', async () => {
    const modified = await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'set-context', 'dd', '--namespace=zz'] });
    expect(modified.files.second).toBe(`644\n${files.second}`);
    const created = await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'set-context', 'ee', '--cluster=k'] });
    expect(created.files.third).toBe(`644\n${files.third}`);
  });

  it('creates the last file of the list when none exists', async () => {
    const { files: after } = await expectSameWrite({ files: {}, kubeconfigEnv: '@/x:@/y', args: ['config', 'set-context', 'n2', '--cluster=q'] });
    expect(Object.keys(after)).toEqual(['y']);
  });
});

describe('config delete-context, delete-cluster, delete-user and rename-context write what kubectl writes', () => {
  const clusterFiles = () => ({ config: readFileSync(clusterCopy, 'utf8') });

  it.each([
    [['config', 'delete-context', 'limited']],
    [['config', 'delete-context', 'admin']],
    [['config', 'delete-context', 'nope']],
    [['config', 'delete-cluster', 'ktx-local']],
    [['config', 'delete-cluster', 'nope']],
    [['config', 'delete-cluster', '']],
    [['config', 'delete-user', 'token-user']],
    [['config', 'delete-user', 'nope']],
    [['config', 'delete-user']],
    [['config', 'delete-user', 'a', 'b']],
    [['config', 'delete-context', 'limited', '--kubeconfig', '@/config']],
    [['config', 'rename-context', 'token-user', 'tu']],
    [['config', 'rename-context', 'admin', 'boss']],
    [['config', 'rename-context', 'nope', 'x']],
    [['config', 'rename-context', 'admin', 'limited']],
    [['config', 'rename-context', 'admin', '']],
  ])('matches kubectl on the cluster kubeconfig: %j', async (args) => {
    await expectSameWrite({ files: clusterFiles(), kubeconfigEnv: '@/config', args });
  });

  it('warns when the active context is deleted, and rename-context carries current-context along', async () => {
    const deleted = await expectSameWrite({ files: clusterFiles(), kubeconfigEnv: '@/config', args: ['config', 'delete-context', 'admin'] });
    expect(deleted.result.stderr).toBe('warning: this removed your active context, use "ktx config use-context" to select a different one');
    expect(deleted.result.stdout).toMatch(/^deleted context admin from \/.*\/config$/);
    const renamed = await expectSameWrite({ files: clusterFiles(), kubeconfigEnv: '@/config', args: ['config', 'rename-context', 'admin', 'boss'] });
    expect(renamed.result.stdout).toBe('Context "admin" renamed to "boss".');
    expect(renamed.files.config).toContain('current-context: boss\n');
  });

  it('edits the rich kubeconfig as kubectl does', async () => {
    const files = { 'rich/config': RICH };
    await expectSameWrite({ files, kubeconfigEnv: '@/rich/config', args: ['config', 'delete-user', 'u0'] });
    await expectSameWrite({ files, kubeconfigEnv: '@/rich/config', args: ['config', 'rename-context', 'c2', '*new'] });
    await expectSameWrite({ files, kubeconfigEnv: '@/rich/config', args: ['config', 'delete-cluster', 'alpha'] });
  });

  it('deletes and renames in the file that defines the entry, across KUBECONFIG files', async () => {
    const files = {
      first: 'apiVersion: v1\nkind: Config\ncontexts:\n- name: aa\n  context: {cluster: k, user: u}\n',
      second: 'contexts:\n- name: cc\n  context: {cluster: k, user: u}\ncurrent-context: cc\nclusters:\n- name: k\n  cluster: {server: "https://k:6443"}\n',
    };
    const chain = '@/first:@/second';
    const deleted = await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'delete-cluster', 'k'] });
    expect(deleted.files.first).toBe(`644\n${files.first}`);
    await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'rename-context', 'cc', 'c3'] });
    await expectSameWrite({ files, kubeconfigEnv: chain, args: ['config', 'delete-context', 'cc'] });
  });

  it.each([[['config', 'delete-context']], [['config', 'delete-context', 'a', 'b']], [['config', 'delete-cluster']], [['config', 'delete-cluster', 'a', 'b']]])(
    'shows the help and succeeds on a wrong number of names, as kubectl does: %j',
    async (args) => {
      const [mine, theirs] = await Promise.all([ktx(args, env(clusterCopy)), refKubectl(args, env(clusterCopy))]);
      expect({ exitCode: mine.exitCode, stderr: mine.stderr }).toEqual({ exitCode: theirs.exitCode, stderr: theirs.stderr });
      expect(mine.exitCode).toBe(0);
      expect(mine.stdout).toContain(`ktx ${args.slice(0, 2).join(' ')}`);
      expect(readFileSync(clusterCopy, 'utf8')).toBe(readFileSync(cluster().kubeconfig, 'utf8'));
    },
  );

  it.each([[['config', 'rename-context']], [['config', 'rename-context', 'admin']], [['config', 'rename-context', 'a', 'b', 'c']]])(
    'rename-context shows the help and fails on a wrong number of names, as kubectl does: %j',
    async (args) => {
      const [mine, theirs] = await Promise.all([ktx(args, env(clusterCopy)), refKubectl(args, env(clusterCopy))]);
      expect({ exitCode: mine.exitCode, stderr: mine.stderr }).toEqual({ exitCode: theirs.exitCode, stderr: theirs.stderr });
      expect(mine.stdout).toContain('ktx config rename-context');
    },
  );
});

describe('config set-cluster and set-credentials write what kubectl writes', () => {
  const files = () => ({ config: readFileSync(clusterCopy, 'utf8'), 'ca.crt': 'CA PEM\n', 'c.crt': 'CERT PEM\n', 'c.key': 'KEY PEM\n' });

  it.each([
    [['config', 'set-cluster', 'ktx-local', '--server=https://example.test:6443']],
    [['config', 'set-cluster', 'new', '--server=https://n.example:1', '--certificate-authority=ca.crt']],
    [['config', 'set-cluster', 'new', '--certificate-authority=ca.crt', '--embed-certs']],
    [['config', 'set-cluster', 'ktx-local', '--insecure-skip-tls-verify']],
    [['config', 'set-cluster', 'ktx-local', '--certificate-authority=/etc/ktx-elsewhere/ca.crt']],
    [['config', 'set-cluster', 'p', '--proxy-url=socks5://proxy.example:1080', '--tls-server-name=tsn']],
    [['config', 'set-cluster', 'ktx-local']],
    [['config', 'set-cluster', 'x', '--insecure-skip-tls-verify', '--certificate-authority=ca.crt']],
    [['config', 'set-cluster', 'x', '--embed-certs']],
    [['config', 'set-cluster', 'x', '--embed-certs', '--certificate-authority=nope.crt']],
    [['config', 'set-credentials', 'admin', '--token=abc']],
    [['config', 'set-credentials', 'bob', '--username=bob', '--password=pw']],
    [['config', 'set-credentials', 'token-user', '--username=u']],
    [['config', 'set-credentials', 'c', '--client-certificate=c.crt', '--client-key=c.key', '--embed-certs']],
    [['config', 'set-credentials', 'c', '--client-certificate=c.crt', '--client-key=@/c.key']],
    [['config', 'set-credentials', 'admin']],
    [['config', 'set-credentials', 'x', '--token=t', '--username=u']],
    [['config', 'set-credentials', 'x', '--embed-certs']],
  ])('matches kubectl on the cluster kubeconfig: %j', async (args) => {
    await expectSameWrite({ files: files(), kubeconfigEnv: '@/config', args });
  });

  it.each([[['config', 'set-cluster']], [['config', 'set-cluster', 'a', 'b']], [['config', 'set-credentials']], [['config', 'set-credentials', 'a', 'b']]])(
    'shows the help and fails on a wrong number of names, as kubectl does: %j',
    async (args) => {
      const [mine, theirs] = await Promise.all([ktx(args, env(clusterCopy)), refKubectl(args, env(clusterCopy))]);
      expect({ exitCode: mine.exitCode, stderr: mine.stderr }).toEqual({ exitCode: theirs.exitCode, stderr: theirs.stderr });
      expect(mine.stdout).toContain(`ktx ${args.slice(0, 2).join(' ')} NAME`);
      expect(readFileSync(clusterCopy, 'utf8')).toBe(readFileSync(cluster().kubeconfig, 'utf8'));
    },
  );

  it('keeps relative paths relative and other fields as they were, on the rich kubeconfig', async () => {
    const rich = { 'rich/config': RICH, 'rich/ca/new.crt': 'CA PEM\n' };
    await expectSameWrite({ files: rich, kubeconfigEnv: '@/rich/config', args: ['config', 'set-cluster', 'zeta', '--server=https://z2.example'] });
    await expectSameWrite({ files: rich, kubeconfigEnv: '@/rich/config', args: ['config', 'set-cluster', 'alpha', '--certificate-authority=rich/ca/new.crt'] });
    await expectSameWrite({ files: rich, kubeconfigEnv: '@/rich/config', args: ['config', 'set-credentials', 'u0', '--token=t2'] });
    await expectSameWrite({ files: rich, kubeconfigEnv: '@/rich/config', args: ['config', 'set-credentials', 'u1', '--client-key=rich/certs/k.key'] });
  });

  it('writes to the file that defines the entry, across KUBECONFIG files', async () => {
    const chain = {
      first: 'apiVersion: v1\nkind: Config\ncontexts:\n- name: aa\n  context: {cluster: k, user: u}\n',
      'sub/second': 'clusters:\n- name: k\n  cluster: {server: "https://k:6443", certificate-authority: ca.crt}\nusers:\n- name: u\n  user: {token: t}\n',
    };
    const result = await expectSameWrite({ files: chain, kubeconfigEnv: '@/first:@/sub/second', args: ['config', 'set-cluster', 'k', '--tls-server-name=k.example'] });
    expect(result.files.first).toBe(`644\n${chain.first}`);
    expect(result.files['sub/second']).toMatch(/certificate-authority: ca\.crt\n\s+server: https:\/\/k:6443\n\s+tls-server-name: k\.example\n/);
    await expectSameWrite({ files: chain, kubeconfigEnv: '@/first:@/sub/second', args: ['config', 'set-credentials', 'u', '--username=x'] });
    await expectSameWrite({ files: chain, kubeconfigEnv: '@/first:@/sub/second', args: ['config', 'set-credentials', 'new', '--token=x'] });
  });
});
