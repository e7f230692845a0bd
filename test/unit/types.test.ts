import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  camelPlural,
  docComment,
  importPath,
  namespaceOf,
  renderDeclaration,
  renderModules,
  resourceConstNames,
  toTsType,
  typeNameOf,
  type DiscoveredResource,
  type JsonSchema,
  type RefResolver,
} from '../../scripts/gen-types/convert.js';
import type { ApiResource, KubeObject } from '../../src/lib/api/resource.js';
import type { BuiltinKinds, Deployment, metav1, Pod } from '../../src/lib/types/index.js';
import { builtinResources, deployments, events, eventsEventsK8sIo, horizontalPodAutoscalers, horizontalPodAutoscalersV1, pods } from '../../src/lib/types/index.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
/** Resolves a schema name to its short name, as inside its own module. */
const short: RefResolver = (name) => typeNameOf(name).name;

/** TypeScript syntax errors of a source text (no type checking). */
function syntaxErrors(source: string): string[] {
  const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('typeNameOf', () => {
  it('maps Go packages to modules', () => {
    expect(typeNameOf('io.k8s.api.core.v1.Pod')).toEqual({ module: 'core/v1', name: 'Pod' });
    expect(typeNameOf('io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler')).toEqual({ module: 'autoscaling/v2', name: 'HorizontalPodAutoscaler' });
    expect(typeNameOf('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')).toEqual({ module: 'meta/v1', name: 'ObjectMeta' });
    expect(typeNameOf('io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toEqual({ module: 'util/intstr', name: 'IntOrString' });
    expect(typeNameOf('io.k8s.apimachinery.pkg.api.resource.Quantity')).toEqual({ module: 'api/resource', name: 'Quantity' });
    expect(typeNameOf('io.k8s.apimachinery.pkg.runtime.RawExtension')).toEqual({ module: 'runtime', name: 'RawExtension' });
    expect(typeNameOf('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps')).toEqual({ module: 'apiextensions/v1', name: 'JSONSchemaProps' });
    expect(typeNameOf('io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService')).toEqual({ module: 'apiregistration/v1', name: 'APIService' });
  });

  it('names namespaces and import paths like Go imports', () => {
    expect(namespaceOf('core/v1')).toBe('corev1');
    expect(namespaceOf('flowcontrol/v1beta3')).toBe('flowcontrolv1beta3');
    expect(namespaceOf('util/intstr')).toBe('intstr');
    expect(namespaceOf('runtime')).toBe('runtime');
    expect(importPath('apps/v1', 'core/v1')).toBe('../core/v1.js');
    expect(importPath('autoscaling/v2', 'autoscaling/v1')).toBe('./v1.js');
    expect(importPath('index', 'util/intstr')).toBe('./util/intstr.js');
    expect(importPath('util/intstr', 'runtime')).toBe('../runtime.js');
  });
});

describe('toTsType', () => {
  it('follows $ref, also wrapped in a one-element allOf', () => {
    expect(toTsType(ref('io.k8s.api.core.v1.PodSpec'), short)).toBe('PodSpec');
    expect(toTsType({ description: 'x', default: {}, allOf: [ref('io.k8s.api.core.v1.PodSpec')] } as JsonSchema, short)).toBe('PodSpec');
    expect(toTsType({ allOf: [ref('a.v1.A'), ref('a.v1.B')] }, short)).toBe('A & B');
  });

  it('converts scalars, whatever the format', () => {
    expect(toTsType({ type: 'string', format: 'date-time' }, short)).toBe('string');
    expect(toTsType({ type: 'string', format: 'byte' }, short)).toBe('string');
    expect(toTsType({ type: 'integer', format: 'int64' }, short)).toBe('number');
    expect(toTsType({ type: 'number', format: 'double' }, short)).toBe('number');
    expect(toTsType({ type: 'boolean' }, short)).toBe('boolean');
  });

  it('converts arrays, parenthesising unions', () => {
    expect(toTsType({ type: 'array', items: { type: 'string', default: '' } as JsonSchema }, short)).toBe('string[]');
    expect(toTsType({ type: 'array', items: { allOf: [ref('io.k8s.api.core.v1.Container')] } }, short)).toBe('Container[]');
    expect(toTsType({ type: 'array', items: { type: 'string', enum: ['a', 'b'] } }, short)).toBe("('a' | 'b')[]");
    expect(toTsType({ type: 'array', items: { type: 'array', items: { type: 'integer' } } }, short)).toBe('number[][]');
    expect(toTsType({ type: 'array', items: { type: 'string', enum: ['a|b'] } }, short)).toBe("'a|b'[]");
    expect(toTsType({ type: 'array', items: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } }, short)).toBe(
      'Record<string, string | number>[]',
    );
  });

  it('converts maps and free-form objects', () => {
    expect(toTsType({ type: 'object', additionalProperties: { type: 'string', default: '' } as JsonSchema }, short)).toBe('Record<string, string>');
    expect(toTsType({ type: 'object', additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity') }, short)).toBe('Record<string, Quantity>');
    expect(toTsType({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }, short)).toBe('Record<string, string[]>');
    expect(toTsType({ type: 'object', additionalProperties: true }, short)).toBe('Record<string, unknown>');
    expect(toTsType({ type: 'object' }, short)).toBe('Record<string, unknown>');
    expect(toTsType({ 'x-kubernetes-preserve-unknown-fields': true }, short)).toBe('Record<string, unknown>');
    expect(toTsType({}, short)).toBe('unknown');
  });

  it('converts int-or-string, oneOf and nullable', () => {
    expect(toTsType({ 'x-kubernetes-int-or-string': true }, short)).toBe('number | string');
    expect(toTsType({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }, short)).toBe('number | string');
    expect(toTsType({ oneOf: [{ type: 'string' }, { type: 'string' }] }, short)).toBe('string');
    expect(toTsType({ type: 'string', nullable: true }, short)).toBe('string | null');
  });

  it('turns enums into literal unions', () => {
    expect(toTsType({ type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] }, short)).toBe("'Always' | 'IfNotPresent' | 'Never'");
    expect(toTsType({ type: 'string', enum: ['', "it's"] }, short)).toBe("'' | 'it\\'s'");
    expect(toTsType({ type: 'integer', enum: [1, 2] }, short)).toBe('1 | 2');
  });

  it('writes inline objects as multi-line literals', () => {
    const schema: JsonSchema = { type: 'object', required: ['a'], properties: { a: { type: 'string', description: 'The a.' }, 'b-c': { type: 'integer' } } };
    expect(toTsType(schema, short, '  ')).toBe(['{', '    /** The a. */', '    a: string;', "    'b-c'?: number;", '  }'].join('\n'));
  });
});

describe('renderDeclaration', () => {
  const widget: JsonSchema = {
    description: 'Widget is a */test* kind.\n\nSecond paragraph, dropped.',
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation.' },
      kind: { type: 'string', description: 'Kind is a string value.' },
      metadata: { default: {}, allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')], description: 'Standard metadata.' } as JsonSchema,
      spec: { allOf: [ref('io.example.widgets.v1.WidgetSpec')] },
      sizes: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
    },
    'x-kubernetes-group-version-kind': [{ group: 'widgets.example.io', version: 'v1', kind: 'Widget' }],
  };

  it('writes a top-level kind with literal apiVersion/kind, required and optional properties', () => {
    expect(renderDeclaration('io.example.widgets.v1.Widget', widget, short)).toBe(
      [
        '/** Widget is a *\\/test* kind. */',
        'export type Widget = {',
        "  apiVersion?: 'widgets.example.io/v1';",
        "  kind?: 'Widget';",
        '  /** Standard metadata. */',
        '  metadata?: ObjectMeta;',
        '  spec: WidgetSpec;',
        '  sizes?: Record<string, number | string>;',
        '};',
      ].join('\n'),
    );
  });

  it('keeps apiVersion a string for kinds served in several groups', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
      'x-kubernetes-group-version-kind': [
        { group: '', version: 'v1', kind: 'DeleteOptions' },
        { group: 'apps', version: 'v1', kind: 'DeleteOptions' },
      ],
    };
    const text = renderDeclaration('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', schema, short);
    expect(text).toContain('  apiVersion?: string;');
    expect(text).toContain("  kind?: 'DeleteOptions';");
  });

  it('writes aliases for non-object schemas and applies overrides', () => {
    expect(renderDeclaration('io.k8s.apimachinery.pkg.apis.meta.v1.Time', { type: 'string', format: 'date-time' }, short)).toBe('export type Time = string;');
    expect(renderDeclaration('io.k8s.apimachinery.pkg.api.resource.Quantity', { oneOf: [{ type: 'string' }, { type: 'number' }] }, short)).toBe(
      'export type Quantity = string;',
    );
    expect(renderDeclaration('a.v1.Thing', {}, short, { 'a.v1.Thing': 'Other | boolean' })).toBe('export type Thing = Other | boolean;');
  });

  it('wraps long descriptions', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = docComment(words, '  ');
    expect(lines[0]).toBe('  /**');
    expect(lines.at(-1)).toBe('   */');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(docComment(undefined)).toEqual([]);
  });
});

describe('renderModules', () => {
  const schemas: Record<string, JsonSchema> = {
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' } } },
    'io.k8s.api.core.v1.Event': { type: 'object', properties: { message: { type: 'string' } } },
    'io.k8s.api.core.v1.ObjectReference': { type: 'object', properties: { name: { type: 'string' } } },
    'io.k8s.api.events.v1.Event': {
      type: 'object',
      properties: {
        metadata: { allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')] },
        regarding: { allOf: [ref('io.k8s.api.core.v1.ObjectReference')] },
        legacy: ref('io.k8s.api.core.v1.Event'),
      },
    },
  };

  it('writes one module per package with sorted type imports, aliasing clashing names', () => {
    const out = renderModules(schemas, ['Header.']);
    expect([...out.keys()]).toEqual(['core/v1', 'events/v1', 'meta/v1']);
    const events = out.get('events/v1')!;
    expect(events.startsWith('// Header.\n\n')).toBe(true);
    expect(events).toContain("import type { Event as CoreV1Event, ObjectReference } from '../core/v1.js';\nimport type { ObjectMeta } from '../meta/v1.js';");
    expect(events).toContain('  legacy?: CoreV1Event;');
    expect(events).toContain('  regarding?: ObjectReference;');
    expect(out.get('meta/v1')).not.toContain('import');
    for (const text of out.values()) expect(syntaxErrors(text)).toEqual([]);
  });

  it('rejects dangling references', () => {
    expect(() => renderModules({ 'a.v1.A': { type: 'object', properties: { b: ref('a.v1.Missing') } } }, [])).toThrow(/dangling/);
  });
});

describe('resource names', () => {
  const resource = (over: Partial<DiscoveredResource>): DiscoveredResource => ({
    group: '',
    version: 'v1',
    kind: 'Thing',
    plural: 'things',
    singular: 'thing',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: [],
    preferred: true,
    ...over,
  });

  it('camelCases plurals along the kind’s words', () => {
    expect(camelPlural('Pod', 'pods')).toBe('pods');
    expect(camelPlural('NetworkPolicy', 'networkpolicies')).toBe('networkPolicies');
    expect(camelPlural('CSIStorageCapacity', 'csistoragecapacities')).toBe('csiStorageCapacities');
    expect(camelPlural('IPAddress', 'ipaddresses')).toBe('ipAddresses');
    expect(camelPlural('Endpoints', 'endpoints')).toBe('endpoints');
  });

  it('qualifies a shared plural by group (core keeps the bare name) and non-preferred versions', () => {
    const names = resourceConstNames([
      resource({ kind: 'Event', plural: 'events' }),
      resource({ group: 'events.k8s.io', kind: 'Event', plural: 'events' }),
      resource({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers' }),
      resource({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', preferred: false }),
    ]);
    expect(names).toEqual(['events', 'eventsEventsK8sIo', 'horizontalPodAutoscalers', 'horizontalPodAutoscalersV1']);
  });

  it('refuses to emit two consts with one name', () => {
    expect(() => resourceConstNames([resource({}), resource({})])).toThrow(/used by/);
  });
});

describe('generated resources.ts', () => {
  it('has pods and deployments as discovery reports them', () => {
    expect(pods).toMatchObject({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'] });
    expect(pods.categories).toContain('all');
    expect(pods.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'delete', 'patch']));
    expect(deployments).toMatchObject({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'] });
  });

  it('names shared plurals and other versions by the documented rules', () => {
    expect(events).toMatchObject({ group: '', plural: 'events' });
    expect(eventsEventsK8sIo).toMatchObject({ group: 'events.k8s.io', plural: 'events' });
    expect(horizontalPodAutoscalers.version).toBe('v2');
    expect(horizontalPodAutoscalersV1.version).toBe('v1');
  });

  it('lists every resource once, without subresources', () => {
    const keys = builtinResources.map((r) => `${r.plural}.${r.group}/${r.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(builtinResources.every((r) => !r.plural.includes('/'))).toBe(true);
    expect(builtinResources).toContain(pods);
    expect(builtinResources.filter((r) => r.namespaced === false).map((r) => r.plural)).toEqual(expect.arrayContaining(['namespaces', 'nodes']));
  });

  it('marks every generated file as generated', () => {
    const dir = fileURLToPath(new URL('../../src/lib/types/', import.meta.url));
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'resources.ts', 'core/v1.ts', 'apps/v1.ts', 'meta/v1.ts', 'util/intstr.ts']));
    for (const f of files) {
      expect(readFileSync(`${dir}${f}`, 'utf8')).toMatch(/^\/\/ Generated by scripts\/gen-types\.ts from the Kubernetes v\d+\.\d+\.\d+ OpenAPI v3 document\. Do not edit\.\n/);
    }
  });

  it('types objects with the generated kinds (checked by tsc)', () => {
    expectTypeOf(pods).toEqualTypeOf<ApiResource<Pod>>();
    expectTypeOf(deployments).toEqualTypeOf<ApiResource<Deployment>>();
    expectTypeOf<BuiltinKinds[keyof BuiltinKinds]>().toExtend<KubeObject>();
    expectTypeOf<metav1.DeleteOptions | metav1.WatchEvent | metav1.Status>().toExtend<KubeObject>();
    expectTypeOf<Pod['kind']>().toEqualTypeOf<'Pod' | undefined>();
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] } };
    // @ts-expect-error kind is a literal
    const wrong: Pod = { kind: 'Service' };
    expect([pod, wrong]).toHaveLength(2);
  });
});
