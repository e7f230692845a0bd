import { setTimeout as delay } from 'node:timers/promises';
import { Api } from '../api/api.js';
import type { Client } from '../client.js';
import { KtxError, TransportError } from '../errors.js';
import type { CustomResourceDefinition, CustomResourceDefinitionNames } from '../types/apiextensions/v1.js';
import { customResourceDefinitions } from '../types/resources.js';

/** How often the CRD is read back while waiting for it to be established. */
const POLL_INTERVAL_MS = 100;

/** Options for {@link applyCustomResourceDefinition}. */
export interface ApplyCustomResourceDefinitionOptions {
  /** The server-side apply field manager that owns the CRD's fields. */
  fieldManager: string;
  /** Take over fields another manager owns instead of failing with 409 Conflict. */
  force?: boolean;
  /** How long to wait in all, apply included (default 30 000 ms). */
  timeoutMs?: number;
  /** Aborting throws a `TransportError` of kind `aborted`. */
  signal?: AbortSignal;
}

/**
 * A CustomResourceDefinition was applied but is not usable: the apiserver did not accept its
 * names (`NamesNotAccepted`: another CRD in the group already uses the plural, a short name or
 * the kind), or it did not report `Established` in time (`Timeout`). `crd` is the last state read.
 */
export class CustomResourceDefinitionError extends KtxError {
  override name = 'CustomResourceDefinitionError';
  constructor(
    readonly reason: 'NamesNotAccepted' | 'Timeout',
    /** The CRD's name, `<plural>.<group>`. */
    readonly crdName: string,
    message: string,
    readonly crd: CustomResourceDefinition | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const conditionOf = (crd: CustomResourceDefinition | undefined, type: string) => crd?.status?.conditions?.find((c) => c.type === type);

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Whether the names being served are the ones the (server-defaulted) spec asks for. */
function namesServed(want: CustomResourceDefinitionNames, got: CustomResourceDefinitionNames | undefined): boolean {
  return (
    !!got &&
    got.plural === want.plural &&
    got.kind === want.kind &&
    got.singular === want.singular &&
    got.listKind === want.listKind &&
    sameList(got.shortNames, want.shortNames) &&
    sameList(got.categories, want.categories)
  );
}

/**
 * Whether a CRD read from the server is ready for use: its `Established` condition is True
 * (the apiserver serves the custom resource's REST endpoints) and the names it serves
 * (`status.acceptedNames`) are those of its spec, which matters after an update that changed names.
 */
export function isCustomResourceDefinitionEstablished(crd: CustomResourceDefinition): boolean {
  return conditionOf(crd, 'Established')?.status === 'True' && namesServed(crd.spec.names, crd.status?.acceptedNames);
}

function describeConditions(crd: CustomResourceDefinition | undefined): string {
  const conditions = crd?.status?.conditions ?? [];
  if (!conditions.length) return 'no conditions yet';
  return conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ');
}

/**
 * Server-side applies a CustomResourceDefinition (a manifest, or a custom resource from
 * `defineCustomResource`) as `fieldManager`, then reads it back every ~100 ms until the
 * apiserver reports it `Established` with the spec's names accepted, and returns that live CRD.
 *
 * Throws `ApiError` when the apply is rejected (422 for an invalid CRD, 409 for a field conflict
 * without `force`), {@link CustomResourceDefinitionError} when the names are not accepted or the
 * timeout passes, and `TransportError` (`aborted`) when `signal` aborts.
 */
export async function applyCustomResourceDefinition(
  client: Client,
  definition: CustomResourceDefinition | { readonly crd: CustomResourceDefinition },
  options: ApplyCustomResourceDefinitionOptions,
): Promise<CustomResourceDefinition> {
  const { fieldManager, force, timeoutMs = 30_000, signal } = options;
  const manifest = 'crd' in definition ? definition.crd : definition;
  const name = manifest.metadata?.name;
  if (!name) throw new TypeError('the CustomResourceDefinition has no metadata.name');

  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const api = Api.cluster(client, customResourceDefinitions);
  let live: CustomResourceDefinition | undefined;
  try {
    live = await api.apply(manifest, { fieldManager, ...(force ? { force } : {}), signal: combined });
    for (;;) {
      if (isCustomResourceDefinitionEstablished(live)) return live;
      const names = conditionOf(live, 'NamesAccepted');
      if (names?.status === 'False') {
        throw new CustomResourceDefinitionError(
          'NamesNotAccepted',
          name,
          `customresourcedefinition "${name}" names were not accepted: ${names.message ?? names.reason ?? 'no reason given'}`,
          live,
        );
      }
      await delay(POLL_INTERVAL_MS, undefined, { signal: combined });
      live = await api.get(name, { signal: combined });
    }
  } catch (err) {
    if (err instanceof CustomResourceDefinitionError) throw err;
    if (signal?.aborted) {
      if (err instanceof TransportError) throw err;
      throw new TransportError('aborted', client.config.server, `waiting for customresourcedefinition "${name}" was aborted`, { cause: err });
    }
    if (deadline.aborted) {
      throw new CustomResourceDefinitionError(
        'Timeout',
        name,
        `customresourcedefinition "${name}" was not established within ${timeoutMs} ms (${describeConditions(live)})`,
        live,
        { cause: err },
      );
    }
    throw err;
  }
}
