// kubectl's TYPE resolution over a fixed resource list: no cluster, no HTTP.
import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../src/lib/api/resource.js';
import { ResourceNotFoundError, expandCategory, preferredVersions, resolveResourceType } from '../../src/lib/discovery/index.js';
import { FIXTURE } from './fixture.js';

/** `group/version/plural` (`core` for the core group) of each result. */
const ids = (list: ApiResource[]) => list.map((r) => `${r.group || 'core'}/${r.version}/${r.plural}`);

function resolve(arg: string): { ids: string[]; warnings: string[] } {
  const warnings: string[] = [];
  return { ids: ids(resolveResourceType(arg, FIXTURE, (w) => warnings.push(w))), warnings };
}

function failure(arg: string): unknown {
  try {
    resolveResourceType(arg, FIXTURE);
  } catch (err) {
    return err;
  }
  throw new Error(`"${arg}" resolved`);
}

describe('plural, singular and short names', () => {
  it.each(['pods', 'pod', 'po'])('%s is core v1 pods', (arg) => {
    expect(resolve(arg)).toEqual({ ids: ['core/v1/pods'], warnings: [] });
  });

  it('keeps what discovery says about the resource', () => {
    const [nodes] = resolveResourceType('no', FIXTURE);
    expect(nodes).toMatchObject({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'] });
  });

  it('matches a singular that equals the plural', () => {
    expect(resolve('endpoints').ids).toEqual(['core/v1/endpoints']);
  });

  it('prefers core v1 over a later group with the same plural (events)', () => {
    expect(resolve('events').ids).toEqual(['core/v1/events']);
    expect(resolve('cronjobs').ids).toEqual(['batch/v1/cronjobs']);
  });
});

describe('case', () => {
  it.each(['PODS', 'Pods', 'POD', 'Pod'])('lower-cases the resource part: %s', (arg) => {
    expect(resolve(arg).ids).toEqual(['core/v1/pods']);
  });

  it('matches short names case-sensitively: PO is unknown', () => {
    const err = failure('PO');
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect((err as Error).message).toBe('the server doesn\'t have a resource type "PO"');
  });

  it('matches a mixed-case short name only exactly', () => {
    expect(resolve('Wd')).toEqual({ ids: ['toys.example.org/v2/widgets'], warnings: [] });
    expect(failure('WD')).toBeInstanceOf(ResourceNotFoundError);
  });
});

describe('resource.group and resource.version.group', () => {
  it.each(['deployments.apps', 'deployment.apps', 'deploy.apps', 'Deployments.apps', 'deployments.v1.apps', 'deploy.v1.apps'])('%s', (arg) => {
    expect(resolve(arg).ids).toEqual(['apps/v1/deployments']);
  });

  it('splits resource.group at the first dot (groups with dots)', () => {
    expect(resolve('events.events.k8s.io').ids).toEqual(['events.k8s.io/v1/events']);
    expect(resolve('event.events.k8s.io').ids).toEqual(['events.k8s.io/v1/events']);
    expect(resolve('widgets.toys.example.org').ids).toEqual(['toys.example.org/v2/widgets']);
  });

  it('uses the preferred version unless a version is named', () => {
    expect(resolve('horizontalpodautoscalers.autoscaling').ids).toEqual(['autoscaling/v2/horizontalpodautoscalers']);
    expect(resolve('horizontalpodautoscalers.v1.autoscaling').ids).toEqual(['autoscaling/v1/horizontalpodautoscalers']);
    expect(resolve('hpa.v1.autoscaling').ids).toEqual(['autoscaling/v1/horizontalpodautoscalers']);
    expect(resolve('widgets.v1.toys.example.org').ids).toEqual(['toys.example.org/v1/widgets']);
  });

  it('fails for a version the group does not serve, naming the resource part', () => {
    expect((failure('deployments.v2.apps') as Error).message).toBe('the server doesn\'t have a resource type "deployments"');
  });

  it('matches a short name with a group prefix, but not a full name', () => {
    expect(resolve('hpa.autoscal').ids).toEqual(['autoscaling/v2/horizontalpodautoscalers']);
    expect(resolve('deploy.ap').ids).toEqual(['apps/v1/deployments']);
    expect(failure('deployments.ap')).toBeInstanceOf(ResourceNotFoundError);
  });
});

describe('ambiguous short names', () => {
  it('picks the highest priority resource and warns about each lower one', () => {
    expect(resolve('ev')).toEqual({
      ids: ['core/v1/events'],
      warnings: ['short name "ev" could also match lower priority resource events.events.k8s.io'],
    });
    expect(resolve('cj')).toEqual({
      ids: ['batch/v1/cronjobs'],
      warnings: ['short name "cj" could also match lower priority resource cronjobs.acme.io'],
    });
  });

  it('does not count other versions of the same resource as ambiguous', () => {
    expect(resolve('hpa')).toEqual({ ids: ['autoscaling/v2/horizontalpodautoscalers'], warnings: [] });
    expect(resolve('wd')).toEqual({
      ids: ['toys.example.org/v2/widgets'],
      warnings: ['short name "wd" could also match lower priority resource wands.acme.io'],
    });
  });

  it('is not ambiguous once the group is named', () => {
    expect(resolve('cj.acme.io')).toEqual({ ids: ['acme.io/v1/cronjobs'], warnings: [] });
    expect(resolve('ev.events.k8s.io')).toEqual({ ids: ['events.k8s.io/v1/events'], warnings: [] });
  });

  it('warns once per argument even when the short name repeats', () => {
    expect(resolve('ev,ev').warnings).toHaveLength(1);
  });
});

describe('kinds', () => {
  it.each([
    ['Pod', 'core/v1/pods'],
    ['Deployment', 'apps/v1/deployments'],
    ['Deployment.apps', 'apps/v1/deployments'],
    ['Deployment.v1.apps', 'apps/v1/deployments'],
    ['GadgetThing.toys.example.org', 'toys.example.org/v2/widgets'],
    ['gadgetthing.toys.example.org', 'toys.example.org/v2/widgets'],
    ['GadgetThing.v1.toys.example.org', 'toys.example.org/v1/widgets'],
  ])('%s', (arg, id) => {
    expect(resolve(arg).ids).toEqual([id]);
  });

  it('needs the group for a non-core kind, and matches it exactly or in lower case only', () => {
    expect(failure('GadgetThing')).toBeInstanceOf(ResourceNotFoundError);
    expect(failure('GADGETTHING.toys.example.org')).toBeInstanceOf(ResourceNotFoundError);
  });
});

describe('categories', () => {
  it('expands all to its members in priority order, collapsing versions', () => {
    expect(resolve('all').ids).toEqual([
      'core/v1/pods',
      'core/v1/services',
      'apps/v1/deployments',
      'apps/v1/daemonsets',
      'autoscaling/v2/horizontalpodautoscalers',
      'batch/v1/cronjobs',
    ]);
  });

  it('expands a CRD-declared category', () => {
    expect(expandCategory('toys', FIXTURE)).toEqual(['widgets.toys.example.org', 'widgets.toys.example.org', 'robots.toys.example.org']);
    expect(resolve('toys').ids).toEqual(['toys.example.org/v2/widgets', 'toys.example.org/v1/robots']);
  });

  it('matches category names exactly', () => {
    expect(expandCategory('All', FIXTURE)).toBeUndefined();
    expect(failure('All')).toBeInstanceOf(ResourceNotFoundError);
  });

  it('expands per comma-separated item', () => {
    expect(resolve('toys,nodes').ids).toEqual(['toys.example.org/v2/widgets', 'toys.example.org/v1/robots', 'core/v1/nodes']);
  });
});

describe('lists, duplicates, subresources and unknown types', () => {
  it('keeps the order of comma-separated items and collapses duplicates', () => {
    expect(resolve('po,pods,Pod,pod').ids).toEqual(['core/v1/pods']);
    expect(resolve('svc,po,all').ids).toEqual([
      'core/v1/services',
      'core/v1/pods',
      'apps/v1/deployments',
      'apps/v1/daemonsets',
      'autoscaling/v2/horizontalpodautoscalers',
      'batch/v1/cronjobs',
    ]);
  });

  it('never maps a subresource', () => {
    expect((failure('pods/log') as Error).message).toBe('the server doesn\'t have a resource type "pods/log"');
  });

  it.each([
    ['foos', 'foos'],
    ['FOOS.example.com', 'FOOS'],
    ['foos.v1.example.com', 'foos'],
    ['pods,', ''],
    ['', ''],
  ])('%j is unknown as "%s"', (arg, name) => {
    const err = failure(arg);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect((err as ResourceNotFoundError).resource).toBe(name);
    expect((err as Error).message).toBe(`the server doesn't have a resource type "${name}"`);
  });
});

describe('preferred versions (api-resources)', () => {
  it('keeps each resource once: the preferred version, else the first version serving it', () => {
    const toys = preferredVersions(FIXTURE).filter((r) => r.group === 'toys.example.org');
    expect(ids(toys)).toEqual(['toys.example.org/v2/widgets', 'toys.example.org/v1/robots']);
    expect(ids(preferredVersions(FIXTURE).filter((r) => r.group === 'autoscaling'))).toEqual(['autoscaling/v2/horizontalpodautoscalers']);
  });
});
