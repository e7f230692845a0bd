import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { serverGroupsFile, serverResourcesFile } from './cache-paths.js';
import type { APIGroupList, APIResourceList } from './wire.js';

/** kubectl's discovery cache lifetime: files older than this are fetched again. */
export const DEFAULT_DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * kubectl's on-disk discovery cache for one server (client-go's `CachedDiscoveryClient`):
 * `servergroups.json` plus one `serverresources.json` per group-version, written atomically
 * (temp file + rename) with directories 0750 and files 0660, and read only while younger than
 * the TTL. Unreadable, expired or malformed files count as missing; write failures are ignored
 * (a read-only home still works, only slower).
 *
 * It remembers which files this instance wrote: {@link fresh} stays true while every file read
 * was one of them, and after {@link invalidate} only they are read. That is what lets a lookup
 * miss decide whether re-discovering could help.
 */
export class DiscoveryDiskCache {
  private readonly ours = new Set<string>();
  private invalidated = false;
  private allReadsOurs = true;

  constructor(
    /** The per-server directory, see `discoveryCacheDir`. */
    readonly dir: string,
    private readonly ttlMs: number = DEFAULT_DISCOVERY_TTL_MS,
  ) {}

  /** True when no data came from files this instance did not write (another process, an earlier run). */
  get fresh(): boolean {
    return this.allReadsOurs;
  }

  /** From now on, ignore every file this instance has not written itself. */
  invalidate(): void {
    this.ours.clear();
    this.invalidated = true;
    this.allReadsOurs = true;
  }

  /** The cached `APIGroupList`, or undefined when missing, expired, invalidated or malformed. */
  async readGroups(): Promise<APIGroupList | undefined> {
    const doc = await this.read(serverGroupsFile(this.dir));
    // kubectl writes a group whose versions are all stale with `"versions": null`.
    return isGroupList(doc) ? { ...doc, groups: doc.groups.map((g) => ({ ...g, versions: g.versions ?? [] })) } : undefined;
  }

  /** The cached resources of one group-version, or undefined when not usable. */
  async readResources(groupVersion: string): Promise<APIResourceList | undefined> {
    const doc = await this.read(serverResourcesFile(this.dir, groupVersion));
    // Go writes a nil list as null.
    return isResourceList(doc) ? { ...doc, resources: doc.resources ?? [] } : undefined;
  }

  /** Writes `servergroups.json` (an empty list is not written, as kubectl). */
  async writeGroups(list: APIGroupList): Promise<void> {
    if (list.groups.length) await this.write(serverGroupsFile(this.dir), list);
  }

  /** Writes `<group>/<version>/serverresources.json`. */
  async writeResources(list: APIResourceList): Promise<void> {
    await this.write(serverResourcesFile(this.dir, list.groupVersion), list);
  }

  private async read(file: string): Promise<unknown> {
    const ours = this.ours.has(file);
    if (this.invalidated && !ours) return undefined;
    let text: string;
    try {
      const handle = await open(file, 'r');
      try {
        const { mtimeMs } = await handle.stat();
        if (Date.now() > mtimeMs + this.ttlMs) return undefined;
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
      const doc: unknown = JSON.parse(text);
      this.allReadsOurs &&= ours;
      return doc;
    } catch {
      return undefined;
    }
  }

  private async write(file: string, doc: APIGroupList | APIResourceList): Promise<void> {
    const dir = dirname(file);
    // Go's os.CreateTemp names: the base name, a dot and a random suffix, in the same directory.
    const temp = join(dir, `${basename(file)}.${randomBytes(6).readUIntBE(0, 6)}`);
    try {
      await mkdir(dir, { recursive: true, mode: 0o750 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(doc)}\n`);
      } finally {
        await handle.close();
      }
      // An explicit chmod, as kubectl: the mode then does not depend on the umask.
      await chmod(temp, 0o660);
      await rename(temp, file);
      this.ours.add(file);
    } catch {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}

function isGroupList(doc: unknown): doc is APIGroupList {
  const d = doc as Partial<APIGroupList> | undefined;
  return (
    d?.kind === 'APIGroupList' &&
    Array.isArray(d.groups) &&
    d.groups.every((g) => typeof g?.name === 'string' && (g.versions === null || Array.isArray(g.versions)))
  );
}

function isResourceList(doc: unknown): doc is APIResourceList {
  const d = doc as Partial<APIResourceList> | undefined;
  return d?.kind === 'APIResourceList' && typeof d.groupVersion === 'string' && (d.resources === undefined || d.resources === null || Array.isArray(d.resources));
}
