// Discovery: what a server serves, kubectl's disk cache, and kubectl's TYPE resolution.
export { Discovery, type DiscoveryOptions } from './discovery.js';
export { ResourceNotFoundError } from './errors.js';
export { StaleGroupVersionError, splitAggregated, type DiscoveryFailure, type SplitDiscovery } from './aggregated.js';
export { buildCatalog, groupInfos, preferredVersions, priorityGroupVersions, toApiResource, type ApiGroupInfo } from './catalog.js';
export { cacheRoot, discoveryCacheDir, serverGroupsFile, serverResourcesFile } from './cache-paths.js';
export { DEFAULT_DISCOVERY_TTL_MS, DiscoveryDiskCache } from './disk-cache.js';
export { AGGREGATED_DISCOVERY_ACCEPT, fetchGroups, fetchGroupVersion, type LiveGroups } from './fetch.js';
export {
  dedupeResources,
  distinctWarnings,
  expandCategory,
  expandShortName,
  resolveResourceOrKind,
  resolveResourceType,
  resolveTypeItem,
  resourcePart,
  type WarningHandler,
} from './resolver.js';
export type * from './wire.js';
export { groupVersionString, parseGroupVersion } from './wire.js';
