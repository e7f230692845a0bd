/**
 * Custom resources defined in TypeScript: the analogue of kube-rs's `kube-derive`.
 *
 * `defineCustomResource({ group, version, kind, scope, schema: { spec, status? }, … })` returns
 * the complete `apiextensions.k8s.io/v1` CustomResourceDefinition manifest, an `ApiResource`,
 * a typed `Api` and an object constructor; `applyCustomResourceDefinition` installs the CRD with
 * server-side apply and waits until the apiserver serves it.
 *
 * Schema source: plain JSON Schema objects (the structural OpenAPI v3 subset CRDs accept), with
 * the spec and status TypeScript types inferred from the schema literals by `FromSchema`. The
 * apiserver validates, prunes and defaults with exactly this schema, so writing it directly
 * leaves no translation layer (zod, TypeBox, decorators, …) whose output could drift from what
 * the server enforces, and it costs no dependency. The price is that TypeScript types follow the
 * schema rather than the other way round, and schemas must be literals (inline or `as const`).
 */
export {
  CustomResource,
  defineCustomResource,
  type AdditionalVersion,
  type CustomObject,
  type CustomResourceOptions,
  type CustomResourceSchema,
  type CustomResourceScope,
  type NewObjectOptions,
  type ObjectOf,
  type PrinterColumn,
  type ScaleSubresource,
  type SpecOf,
  type StatusOf,
  type VersionOptions,
} from './define.js';
export {
  applyCustomResourceDefinition,
  CustomResourceDefinitionError,
  isCustomResourceDefinitionEstablished,
  type ApplyCustomResourceDefinitionOptions,
} from './apply.js';
export { structuralProblems, type FromSchema, type JsonSchema, type JsonValue, type SchemaType, type ValidationRule } from './schema.js';
