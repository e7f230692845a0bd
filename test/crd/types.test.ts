// Compile-time behaviour of defineCustomResource: the spec and status types inferred from the schemas.
// `npx tsc --noEmit` checks these; at run time expectTypeOf is a no-op.
import { describe, expectTypeOf, it } from 'vitest';
import type { Api } from '../../src/lib/api/api.js';
import type { Client } from '../../src/lib/client.js';
import { defineCustomResource, type CustomObject, type FromSchema, type ObjectOf, type SpecOf, type StatusOf } from '../../src/lib/crd/index.js';

const Greeting = defineCustomResource({
  group: 'example.ktx.dev',
  version: 'v1',
  kind: 'Greeting',
  scope: 'Namespaced',
  schema: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        greeting: { type: 'string', enum: ['Hello', 'Hi'] },
        replicas: { type: 'integer' },
        ratio: { type: 'number' },
        loud: { type: 'boolean' },
        port: { 'x-kubernetes-int-or-string': true },
        tags: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        anything: { type: 'object', additionalProperties: true },
        note: { type: 'string', nullable: true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        raw: { 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        nested: {
          type: 'object',
          required: ['on'],
          properties: { on: { type: 'boolean' }, items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } },
        },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, phase: { type: 'string', enum: ['Pending', 'Ready'] } } },
  },
});

describe('FromSchema through defineCustomResource', () => {
  it('types Greeting.new(...).spec.name as string', () => {
    expectTypeOf(Greeting.new('x', { name: 'a' }).spec.name).toEqualTypeOf<string>();
  });

  it('infers every schema construct', () => {
    type Spec = SpecOf<typeof Greeting>;
    expectTypeOf<Spec>().toEqualTypeOf<{
      name: string;
      greeting?: 'Hello' | 'Hi';
      replicas?: number;
      ratio?: number;
      loud?: boolean;
      port?: number | string;
      tags?: string[];
      labels?: { [key: string]: string };
      anything?: { [key: string]: unknown };
      note?: string | null;
      extra?: { [key: string]: unknown };
      raw?: unknown;
      template?: { [key: string]: unknown; apiVersion?: string; kind?: string; metadata?: { [key: string]: unknown } };
      nested?: { on: boolean; items?: { id: number }[] };
    }>();
    expectTypeOf<StatusOf<typeof Greeting>>().toEqualTypeOf<{ replicas?: number; phase?: 'Pending' | 'Ready' }>();
  });

  it('gives the object, Api and list types', () => {
    type Obj = ObjectOf<typeof Greeting>;
    expectTypeOf<Obj>().toEqualTypeOf<CustomObject<SpecOf<typeof Greeting>, StatusOf<typeof Greeting>>>();
    expectTypeOf<Obj['apiVersion']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Obj['status']>['phase']>().toEqualTypeOf<'Pending' | 'Ready' | undefined>();
    expectTypeOf(Greeting.api).returns.toEqualTypeOf<Api<Obj>>();
    expectTypeOf<ReturnType<Api<Obj>['get']>>().toEqualTypeOf<Promise<Obj>>();
    expectTypeOf(Greeting.api).parameter(0).toEqualTypeOf<Client>();
  });

  it('rejects specs the schema does not admit', () => {
    // @ts-expect-error name is required
    Greeting.new('x', {});
    // @ts-expect-error greeting is an enum
    Greeting.new('x', { name: 'a', greeting: 'Howdy' });
    // @ts-expect-error replicas is an integer
    Greeting.new('x', { name: 'a', replicas: '3' });
    // @ts-expect-error items need an id
    Greeting.new('x', { name: 'a', nested: { on: true, items: [{}] } });
  });

  it('has no status without a status schema', () => {
    const Plain = defineCustomResource({ group: 'example.ktx.dev', version: 'v1', kind: 'Plain', scope: 'Cluster', schema: { spec: { type: 'object', properties: { a: { type: 'string' } } } } });
    expectTypeOf<StatusOf<typeof Plain>>().toEqualTypeOf<never>();
    expectTypeOf(Plain.new('p', {}).spec).toEqualTypeOf<{ a?: string }>();
  });

  it('works on schemas declared apart with as const', () => {
    const spec = { type: 'object', required: ['size'], properties: { size: { type: 'integer' }, mode: { type: 'string', enum: ['a', 'b'], nullable: true } } } as const;
    const Sized = defineCustomResource({ group: 'example.ktx.dev', version: 'v1', kind: 'Sized', scope: 'Namespaced', schema: { spec } });
    expectTypeOf(Sized.new('s', { size: 1 }).spec).toEqualTypeOf<{ size: number; mode?: 'a' | 'b' | null }>();
    expectTypeOf<FromSchema<typeof spec>>().toEqualTypeOf<SpecOf<typeof Sized>>();
    expectTypeOf<FromSchema<{ type: 'object' }>>().toEqualTypeOf<{ [key: string]: never }>();
  });
});
