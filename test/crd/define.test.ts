// defineCustomResource without a server: the generated CRD manifest and the eager checks.
import { describe, expect, it } from 'vitest';
import { CustomResource, defineCustomResource, type CustomResourceOptions, type JsonSchema } from '../../src/lib/crd/index.js';
import { fullDefinition, status } from './fixtures.js';
import type { CustomResourceDefinition, JSONSchemaProps } from '../../src/lib/types/apiextensions/v1.js';

const full = fullDefinition();

/** What the apiserver receives for `full`, written out by hand. */
const rootSchema: JSONSchemaProps = {
  type: 'object',
  description: 'A greeting for someone',
  properties: {
    spec: {
      type: 'object',
      required: ['name', 'replicas'],
      properties: {
        name: { type: 'string', maxLength: 63, 'x-kubernetes-validations': [{ rule: "self != 'nobody'", message: 'name must not be nobody' }] },
        greeting: { type: 'string', enum: ['Hello', 'Hi'], default: 'Hello' },
        replicas: { type: 'integer', minimum: 0 },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
  },
  required: ['spec'],
  'x-kubernetes-validations': [{ rule: 'self.spec.replicas <= 10', message: 'replicas must be at most 10', fieldPath: '.spec.replicas', reason: 'FieldValueForbidden' }],
};
const columns = [
  { name: 'Target', type: 'string', jsonPath: '.spec.name', description: 'who is greeted' },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', format: 'int32' },
  { name: 'Port', type: 'string', jsonPath: '.spec.port', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];
const subresources = {
  status: {},
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
};
const expectedCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'greetings.example.ktx.dev',
    labels: { 'app.kubernetes.io/part-of': 'ktx' },
    annotations: { 'ktx.dev/note': 'generated' },
  },
  spec: {
    group: 'example.ktx.dev',
    names: { kind: 'Greeting', plural: 'greetings', singular: 'greeting', shortNames: ['gr'], categories: ['all'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: rootSchema },
        subresources,
        additionalPrinterColumns: columns,
        selectableFields: [{ jsonPath: '.spec.name' }],
      },
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        deprecated: true,
        deprecationWarning: 'example.ktx.dev/v1beta1 Greeting is deprecated; use v1',
        schema: { openAPIV3Schema: rootSchema },
        subresources,
        additionalPrinterColumns: columns,
        selectableFields: [{ jsonPath: '.spec.name' }],
      },
      {
        name: 'v1alpha1',
        served: false,
        storage: false,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A greeting for someone',
            properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            required: ['spec'],
          },
        },
      },
    ],
  },
};

describe('defineCustomResource: the CRD manifest', () => {
  it('generates the full apiextensions.k8s.io/v1 CustomResourceDefinition', () => {
    const Greeting = defineCustomResource(full);
    // toStrictEqual: no stray undefined-valued keys may reach the server.
    expect(Greeting.crd).toStrictEqual(expectedCrd);
    expect(Greeting.name).toBe('greetings.example.ktx.dev');
  });

  it('describes the main version as an ApiResource', () => {
    const Greeting = defineCustomResource(full);
    expect(Greeting.resource).toEqual({
      group: 'example.ktx.dev',
      version: 'v1',
      kind: 'Greeting',
      plural: 'greetings',
      namespaced: true,
      singular: 'greeting',
      shortNames: ['gr'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(Greeting.apiVersion).toBe('example.ktx.dev/v1');
  });

  it('builds objects with apiVersion, kind and metadata', () => {
    const Greeting = defineCustomResource(full);
    expect(Greeting.new('hello', { name: 'world', replicas: 1 }, { namespace: 'ns', labels: { a: 'b' } })).toStrictEqual({
      apiVersion: 'example.ktx.dev/v1',
      kind: 'Greeting',
      metadata: { name: 'hello', namespace: 'ns', labels: { a: 'b' } },
      spec: { name: 'world', replicas: 1 },
    });
    expect(Greeting.new('plain', { name: 'x', replicas: 0 }).metadata).toStrictEqual({ name: 'plain' });
  });

  it('generates the minimal manifest: default names, no subresources, one storage version', () => {
    const Box = defineCustomResource({ group: 'example.ktx.dev', version: 'v1alpha1', kind: 'Box', scope: 'Cluster', schema: { spec: { type: 'object' } } });
    expect(Box.crd).toStrictEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'boxes.example.ktx.dev' },
      spec: {
        group: 'example.ktx.dev',
        names: { kind: 'Box', plural: 'boxes', singular: 'box' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } }, required: ['spec'] } },
          },
        ],
      },
    });
    expect(Box.resource.namespaced).toBe(false);
    expect(() => Box.new('b', {}, { namespace: 'x' })).toThrow(new TypeError('Box is cluster-scoped and takes no namespace'));
  });

  it('pluralises kinds the regular English way and lets plural override it', () => {
    const plural = (kind: string, extra: Partial<CustomResourceOptions> = {}) =>
      defineCustomResource({ group: 'example.ktx.dev', version: 'v1', kind, scope: 'Namespaced', schema: { spec: { type: 'object' } }, ...extra }).resource.plural;
    expect([plural('Policy'), plural('Gateway'), plural('Match'), plural('Index'), plural('Greeting')]).toEqual(['policies', 'gateways', 'matches', 'indexes', 'greetings']);
    expect(plural('Mouse', { plural: 'mice' })).toBe('mice');
  });

  it('moves storage to the additional version that claims it', () => {
    const V = defineCustomResource({
      group: 'example.ktx.dev',
      version: 'v1',
      kind: 'Thing',
      scope: 'Namespaced',
      schema: { spec: { type: 'object' } },
      versions: [{ name: 'v2', storage: true }],
    });
    expect(V.crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1', true, false],
      ['v2', true, true],
    ]);
    expect(V.resource.version).toBe('v1');
  });

  it('hands out copies, so changing one cannot change what is applied later', () => {
    const schemaSpec = { type: 'object', properties: { a: { type: 'string' } } } satisfies JsonSchema;
    const T = defineCustomResource({ group: 'example.ktx.dev', version: 'v1', kind: 'Copy', scope: 'Namespaced', schema: { spec: schemaSpec } });
    const first = T.crd;
    first.spec.group = 'changed.example';
    (schemaSpec.properties as Record<string, unknown>).b = { type: 'string' };
    expect(T.crd.spec.group).toBe('example.ktx.dev');
    expect(Object.keys(T.crd.spec.versions[0]!.schema!.openAPIV3Schema!.properties!.spec!.properties!)).toEqual(['a']);
  });

  it('wraps an existing manifest, defaulting to its storage version', () => {
    const wrapped = new CustomResource(expectedCrd);
    expect(wrapped.resource.version).toBe('v1');
    expect(new CustomResource(expectedCrd, 'v1beta1').apiVersion).toBe('example.ktx.dev/v1beta1');
    expect(() => new CustomResource(expectedCrd, 'v9')).toThrow(new TypeError('customresourcedefinition greetings.example.ktx.dev has no version "v9"'));
  });
});

/** The definition with some fields replaced; the cast lets tests pass what the types forbid. */
function broken(patch: Record<string, unknown>): CustomResourceOptions {
  return { ...full, ...patch } as unknown as CustomResourceOptions;
}

function problem(patch: Record<string, unknown>): string {
  try {
    defineCustomResource(broken(patch));
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    return (err as TypeError).message;
  }
  throw new Error('expected a TypeError');
}

const withSpec = (s: unknown) => ({ schema: { spec: s, status } });

describe('defineCustomResource: eager checks', () => {
  it('requires group, version and kind', () => {
    expect(problem({ group: undefined })).toBe('invalid definition of Greeting: group is required');
    expect(problem({ version: '' })).toBe('invalid definition of Greeting: version is required');
    expect(problem({ kind: undefined })).toBe('invalid definition of custom resource: kind is required');
  });

  it('checks names the way the apiserver does', () => {
    expect(problem({ group: 'local' })).toContain('group "local" must be a DNS subdomain with at least one dot');
    expect(problem({ scope: 'Namespace' })).toContain('scope must be Namespaced or Cluster, not "Namespace"');
    expect(problem({ shortNames: ['GR'] })).toContain('shortNames[0] "GR" must be a lower-case DNS label');
    expect(problem({ plural: 'greeting_s' })).toContain('plural "greeting_s" must be a lower-case DNS label');
    expect(problem({ version: 'V1' })).toContain('version "V1" must be a lower-case DNS label');
  });

  it('needs exactly one storage version', () => {
    expect(problem({ versions: [{ name: 'v2', storage: true }], storage: true })).toBe(
      'invalid definition of Greeting: exactly one version must be the storage version, not v1, v2',
    );
    expect(problem({ storage: false, versions: [] })).toBe('invalid definition of Greeting: exactly one version must be the storage version, and none is');
    expect(problem({ versions: [{ name: 'v1' }] })).toContain('version "v1" is defined more than once');
  });

  it('only allows a deprecation warning on a deprecated version', () => {
    expect(problem({ versions: [{ name: 'v2', deprecationWarning: 'old' }] })).toBe(
      'invalid definition of Greeting: versions[0].deprecationWarning may only be set when deprecated is true',
    );
  });

  it('rejects a non-structural schema: a node without a type', () => {
    expect(problem(withSpec({ type: 'object', properties: { name: { description: 'no type' } } }))).toBe(
      'invalid definition of Greeting: schema.spec.properties[name].type: must not be empty for specified object fields (a structural schema types every node)',
    );
    expect(problem(withSpec({ type: 'object', properties: { list: { type: 'array', items: { maxLength: 3 } } } }))).toContain(
      'schema.spec.properties[list].items.type: must not be empty for specified array items',
    );
  });

  it('rejects other schemas the apiserver refuses', () => {
    const p = (s: unknown) => problem(withSpec({ type: 'object', properties: { f: s } }));
    expect(p({ type: 'array' })).toContain('schema.spec.properties[f].items: must be specified for type array');
    expect(p({ type: 'object', additionalProperties: false })).toContain('schema.spec.properties[f].additionalProperties: cannot be false');
    expect(p({ type: 'object', properties: {}, additionalProperties: { type: 'string' } })).toContain('properties and additionalProperties are mutually exclusive');
    expect(p({ $ref: '#/definitions/x' })).toContain('schema.spec.properties[f].$ref: is not supported in CustomResourceDefinition schemas');
    expect(p({ type: 'null' })).toContain('schema.spec.properties[f].type: must be one of object, array, string, integer, number, boolean');
    expect(p({ type: 'string', requird: true })).toContain('schema.spec.properties[f].requird: is not a schema keyword the apiserver knows');
    expect(p({ type: 'array', items: { type: 'string' }, uniqueItems: true })).toContain('uniqueItems: cannot be true');
    expect(p({ type: 'string', 'x-kubernetes-int-or-string': true })).toContain('type: must be empty if x-kubernetes-int-or-string is true');
    expect(p({ type: 'string', 'x-kubernetes-preserve-unknown-fields': false })).toContain('must be true or absent');
    expect(p({ type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'map' })).toContain(
      'x-kubernetes-list-map-keys: must not be empty if x-kubernetes-list-type is map',
    );
    expect(problem({ schema: { spec: { type: 'string' } } })).toContain('schema.spec.type: must be object');
    expect(problem({ schema: { status } })).toContain('schema.spec is required');
  });

  it('keeps junctors to value validations of fields specified outside them', () => {
    const p = (s: unknown) => problem(withSpec(s));
    expect(p({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object', required: ['a'] }] })).toContain(
      'schema.spec.anyOf[0].type: must be empty to be structural',
    );
    expect(p({ type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ properties: { b: { minLength: 1 } } }] })).toContain(
      'schema.spec.oneOf[0].properties[b]: must have a counterpart outside of the junctor',
    );
    // The int-or-string pattern is the apiserver's exception, and required-only junctors are fine.
    const Either = defineCustomResource({
      group: 'example.ktx.dev',
      version: 'v1',
      kind: 'Either',
      scope: 'Namespaced',
      schema: {
        spec: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' }, port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } },
          oneOf: [{ required: ['a'] }, { required: ['b'] }],
        },
      },
    });
    expect(Either.crd.spec.versions[0]!.schema!.openAPIV3Schema!.properties!.spec!.oneOf).toEqual([{ required: ['a'] }, { required: ['b'] }]);
  });

  it('rejects a printer column without a jsonPath, and other bad columns', () => {
    expect(problem({ printerColumns: [{ name: 'Target', type: 'string' }] })).toBe('invalid definition of Greeting: printerColumns[0].jsonPath is required');
    expect(problem({ printerColumns: [{ name: 'Target', type: 'text', jsonPath: 'spec.name' }] })).toBe(
      'invalid definition of Greeting: printerColumns[0].type must be one of integer, number, string, boolean, date; printerColumns[0].jsonPath "spec.name" must be a JSON path starting with "."',
    );
    expect(problem({ printerColumns: [{ name: '', type: 'string', jsonPath: '.spec.name', priority: -1, format: 'uuid' }] })).toBe(
      'invalid definition of Greeting: printerColumns[0].name is required; printerColumns[0].format must be one of int32, int64, float, double, byte, date, date-time, password; printerColumns[0].priority must be a non-negative integer',
    );
  });

  it('checks scale paths against the schema', () => {
    expect(problem({ scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } })).toContain(
      'scale.specReplicasPath ".status.replicas" must be a JSON path under .spec.',
    );
    expect(problem({ scale: { specReplicasPath: '.spec.count', statusReplicasPath: '.status.replicas' } })).toContain(
      'scale.specReplicasPath ".spec.count" names no field of the schema',
    );
    expect(problem({ scale: { specReplicasPath: '.spec.name', statusReplicasPath: '.status.replicas' } })).toContain(
      'scale.specReplicasPath ".spec.name" must name a field of type integer, not string',
    );
    expect(problem({ scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.replicas' } })).toContain(
      'scale.labelSelectorPath ".status.replicas" must name a field of type string, not integer',
    );
  });

  it('checks CEL rule shapes (the server compiles them)', () => {
    expect(problem({ validations: [{ rule: '' }] })).toContain('validations[0].rule: must be a non-empty CEL expression');
    expect(problem({ validations: [{ rule: 'a ||\nb' }] })).toContain('validations[0].message: is required when the rule spans several lines');
    expect(problem({ validations: [{ rule: 'true', message: 'two\nlines' }] })).toContain('validations[0].message: must be a string without line breaks');
    expect(problem({ validations: [{ rule: 'true', reason: 'Nope' }] })).toContain('validations[0].reason: must be one of FieldValueInvalid');
    expect(problem(withSpec({ type: 'object', 'x-kubernetes-validations': [{ rule: ' ' }] }))).toContain(
      'schema.spec.x-kubernetes-validations[0].rule: must be a non-empty CEL expression',
    );
  });

  it('checks selectable fields', () => {
    expect(problem({ selectableFields: ['.metadata.name'] })).toContain('selectableFields[0] must not be a metadata field');
    expect(problem({ selectableFields: ['.spec.tags'] })).toContain('selectableFields[0] ".spec.tags" must name a field of type string or integer or boolean, not array');
    expect(problem({ selectableFields: ['.spec.name', '.spec.name'] })).toContain('selectableFields[1] ".spec.name" is listed twice');
    expect(problem({ selectableFields: Array.from({ length: 9 }, () => '.spec.name') })).toContain('selectableFields: at most 8 are allowed');
  });

  it('reports every problem at once', () => {
    expect(problem({ group: '', version: '', printerColumns: [{ name: 'X', type: 'string' }] })).toBe(
      'invalid definition of Greeting: group is required; version is required; printerColumns[0].jsonPath is required',
    );
  });
});
