// A custom resource definition that uses every feature, shared by the manifest test (which spells
// out the expected CRD by hand) and the cluster test (which has the apiserver accept it).
import type { CustomResourceOptions } from '../../src/lib/crd/index.js';

export const spec = {
  type: 'object',
  required: ['name', 'replicas'],
  properties: {
    name: { type: 'string', maxLength: 63, 'x-kubernetes-validations': [{ rule: "self != 'nobody'", message: 'name must not be nobody' }] },
    greeting: { type: 'string', enum: ['Hello', 'Hi'], default: 'Hello' },
    replicas: { type: 'integer', minimum: 0 },
    port: { 'x-kubernetes-int-or-string': true },
    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
  },
} as const;

export const status = {
  type: 'object',
  properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
} as const;

/** The full definition in `group` (the manifest test's expectations use the default group). */
export function fullDefinition(group = 'example.ktx.dev') {
  return {
    group,
    version: 'v1',
    kind: 'Greeting',
    scope: 'Namespaced',
    shortNames: ['gr'],
    categories: ['all'],
    description: 'A greeting for someone',
    schema: { spec, status },
    printerColumns: [
      { name: 'Target', type: 'string', jsonPath: '.spec.name', description: 'who is greeted' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', format: 'int32' },
      { name: 'Port', type: 'string', jsonPath: '.spec.port', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
    validations: [{ rule: 'self.spec.replicas <= 10', message: 'replicas must be at most 10', fieldPath: '.spec.replicas', reason: 'FieldValueForbidden' }],
    selectableFields: ['.spec.name'],
    versions: [
      { name: 'v1beta1', deprecated: true, deprecationWarning: `${group}/v1beta1 Greeting is deprecated; use v1` },
      { name: 'v1alpha1', served: false, schema: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
    labels: { 'app.kubernetes.io/part-of': 'ktx' },
    annotations: { 'ktx.dev/note': 'generated' },
  } as const satisfies CustomResourceOptions;
}
