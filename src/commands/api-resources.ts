// ktx api-resources and api-versions: what the server serves, from discovery (refreshed unless --cached).
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../cli/errors.js';
import type { GlobalFlags } from '../cli/global-flags.js';
import { openSession } from '../cli/session.js';
import { apiVersionOf, type ApiResource } from '../lib/api/resource.js';
import { TabWriter, toYaml } from '../ui/print/index.js';
import { repeatable } from '../cli/repeatable.js';

interface ApiResourcesArgs extends GlobalFlags {
  output?: string;
  'no-headers'?: boolean;
  'api-group'?: string;
  namespaced?: boolean;
  verbs?: string[];
  categories?: string[];
  'sort-by'?: string;
  cached?: boolean;
}

export const apiResourcesCommand: CommandModule<object, ApiResourcesArgs> = {
  command: 'api-resources',
  describe: 'Print the supported API resources on the server',
  builder: (y: Argv) =>
    y
      .option('output', { alias: 'o', type: 'string', describe: 'Output format: wide or name' })
      .option('no-headers', { type: 'boolean', describe: "When using the default or custom-column output format, don't print headers" })
      .option('api-group', { type: 'string', describe: 'Limit to resources in the specified API group ("" for core)' })
      .option('namespaced', { type: 'boolean', describe: 'If false, non-namespaced resources will be returned, otherwise namespaced ones' })
      .option('verbs', { type: 'string', coerce: repeatable, describe: 'Limit to resources that support the specified verbs' })
      .option('categories', { type: 'string', coerce: repeatable, describe: 'Limit to resources that belong to the specified categories' })
      .option('sort-by', { type: 'string', describe: "If non-empty, sort list of resources using specified field: 'name' or 'kind'" })
      .option('cached', { type: 'boolean', describe: 'Use the cached list of resources if available' }) as unknown as Argv<ApiResourcesArgs>,
  handler: async (argv) => {
    const output = argv.output ?? '';
    if (!['', 'wide', 'name', 'json', 'yaml'].includes(output)) {
      throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`);
    }
    const sortBy = argv['sort-by'];
    if (sortBy !== undefined && sortBy !== 'name' && sortBy !== 'kind') throw new UsageError(`--sort-by accepts only name or kind`);
    const session = await openSession(argv);
    if (!argv.cached) await session.discovery.refresh();
    const verbs = (argv.verbs ?? []).flatMap((v) => v.split(','));
    const categories = (argv.categories ?? []).flatMap((c) => c.split(','));
    let list = (await session.discovery.preferredResources()).filter(
      (r) =>
        (r.verbs?.length ?? 0) > 0 &&
        (argv['api-group'] === undefined || r.group === argv['api-group']) &&
        (argv.namespaced === undefined || r.namespaced === argv.namespaced) &&
        verbs.every((v) => r.verbs?.includes(v)) &&
        categories.every((c) => r.categories?.includes(c)),
    );
    // Go compares strings bytewise ("CSIDriver" < "CertificateSigningRequest"), and so does kubectl.
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    if (sortBy === 'name') list = [...list].sort((a, b) => cmp(a.plural, b.plural));
    else if (sortBy === 'kind') list = [...list].sort((a, b) => cmp(a.kind, b.kind));
    else list = [...list].sort((a, b) => (a.group === b.group ? cmp(a.plural, b.plural) : cmp(a.group, b.group)));
    if (output === 'json' || output === 'yaml') {
      const doc = { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: '', resources: list.map(apiResourceJson) };
      // The JSON printer keeps Go's struct field order; the YAML printer sorts keys.
      process.stdout.write(output === 'json' ? `${JSON.stringify(doc, null, 4)}\n` : toYaml(doc));
      return;
    }
    if (output === 'name') {
      for (const r of list) process.stdout.write(`${r.group ? `${r.plural}.${r.group}` : r.plural}\n`);
      return;
    }
    const rows: string[][] = [];
    const wide = output === 'wide';
    if (!argv['no-headers']) rows.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
    for (const r of list) rows.push(row(r, wide));
    process.stdout.write(new TabWriter().format(rows));
  },
};

/** metav1.APIResource in its Go field order. */
function apiResourceJson(r: ApiResource): object {
  return {
    name: r.plural,
    singularName: r.singular ?? '',
    namespaced: r.namespaced,
    ...(r.group ? { group: r.group } : {}),
    version: r.version,
    kind: r.kind,
    verbs: r.verbs ?? [],
    ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories?.length ? { categories: r.categories } : {}),
  };
}

function row(r: ApiResource, wide: boolean): string[] {
  const base = [r.plural, (r.shortNames ?? []).join(','), apiVersionOf(r), String(r.namespaced), r.kind];
  return wide ? [...base, (r.verbs ?? []).join(','), (r.categories ?? []).join(',')] : base;
}

export const apiVersionsCommand: CommandModule<object, GlobalFlags> = {
  command: 'api-versions',
  describe: 'Print the supported API versions on the server, in the form of "group/version"',
  handler: async (argv) => {
    const session = await openSession(argv);
    await session.discovery.refresh();
    const versions = (await session.discovery.groups()).flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)));
    process.stdout.write([...new Set(versions)].sort().map((v) => `${v}\n`).join(''));
  },
};
