import type { ApiResource } from '../api/resource.js';
import type { Discovery } from '../discovery/discovery.js';
import { KtxError } from '../errors.js';

/** No served resource has this apiVersion and kind (kubectl's NoKindMatchError). */
export class NoKindMatchError extends KtxError {
  override name = 'NoKindMatchError';
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
  }
}

/** `apps/v1` → group `apps`, version `v1`; `v1` → core. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Maps an object's apiVersion and kind to the resource that serves it (kubectl's REST mapping),
 * from discovery. A miss re-discovers once, so kinds whose CRDs were just created (or that an old
 * cache does not know) are found; call {@link invalidate} after creating CRDs to allow another.
 */
export class ResourceMapper {
  private refreshed = false;

  constructor(private readonly discovery: Discovery) {}

  /** The resource for `apiVersion`/`kind`; throws {@link NoKindMatchError}. */
  async map(apiVersion: string, kind: string): Promise<ApiResource> {
    const found = await this.find(apiVersion, kind);
    if (found) return found;
    if (!this.refreshed) {
      this.refreshed = true;
      await this.discovery.refresh();
      const again = await this.find(apiVersion, kind);
      if (again) return again;
    }
    throw new NoKindMatchError(apiVersion, kind);
  }

  /** Lets the next miss re-discover (new kinds may be served now). */
  invalidate(): void {
    this.refreshed = false;
  }

  private async find(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    return (await this.discovery.resources()).find((r) => r.group === group && r.version === version && r.kind === kind);
  }
}
