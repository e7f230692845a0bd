// The Greeting custom resource: one JSON Schema gives the CRD manifest the apiserver enforces and,
// inferred from the same literal, the TypeScript types the controller works with.
import { defineCustomResource, type ObjectOf } from 'ktx';

/** The API group of the example's custom resources. */
export const GROUP = 'examples.ktx.dev';

/**
 * `Greeting` (`greetings.examples.ktx.dev/v1`, short name `gr`, category `examples`): "greet
 * `spec.name` with `spec.message`". The controller answers with a ConfigMap and reports progress
 * in `status` (a subresource, because a status schema is given).
 */
export const Greeting = defineCustomResource({
  group: GROUP,
  version: 'v1',
  kind: 'Greeting',
  scope: 'Namespaced',
  shortNames: ['gr'],
  // Not `all`: `kubectl get all` stays about workloads; `kubectl get examples` lists these.
  categories: ['examples'],
  description: 'A greeting; the greeting-controller writes it into the ConfigMap greeting-<name>.',
  schema: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, description: 'Who to greet.' },
        message: { type: 'string', description: 'The greeting word; Hello when unset.' },
        fail: { type: 'boolean', description: 'Make every reconcile fail, to watch the error backoff.' },
      },
    },
    status: {
      type: 'object',
      properties: {
        phase: { type: 'string', enum: ['Ready', 'Failing'] },
        configMap: { type: 'string', description: 'The ConfigMap holding the greeting.' },
        observedGeneration: { type: 'integer', format: 'int64', description: 'The metadata.generation the phase refers to.' },
        message: { type: 'string', description: 'Why the phase is Failing.' },
      },
    },
  },
  // With printer columns the server shows NAME plus exactly these in `kubectl get greetings`.
  // `.spec.name` is labelled Recipient so that it does not read as a second NAME column.
  printerColumns: [
    { name: 'Recipient', type: 'string', jsonPath: '.spec.name' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** A Greeting object as the apiserver returns it: `spec` typed from the schema, `status` optional. */
export type Greeting = ObjectOf<typeof Greeting>;
