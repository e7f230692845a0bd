// ktx as a library: the Kubernetes client core and controller runtime. No UI, no CLI parsing.
export { Client, type ClientOptions } from './client.js';
export * from './config/index.js';
export { ApiError, ConfigError, KtxError, TransportError, reasonForCode, type Status, type StatusDetails, type TransportFailure } from './errors.js';
export { Api, type DeleteResult, type Scale } from './api/api.js';
export type { CallOptions, DeleteParams, ListParams, LogParams, Patch, PatchParams, WatchParams, WriteParams } from './api/params.js';
export {
  apiVersionOf,
  qualifiedResource,
  resourcePath,
  type ApiResource,
  type KubeObject,
  type ObjectList,
  type ObjectMeta,
  type OwnerReference,
} from './api/resource.js';
export { decodeWatchStream, type WatchEvent } from './api/watch-decoder.js';
export type { HttpRequest, HttpResponse, QueryValue } from './http/transport.js';
export { closeAllConnections } from './http/transport.js';
export { verboseRequestLogger, type RequestLogger } from './http/request-log.js';
export { watcher, WatcherError, type WatcherConfig, type WatcherEvent, type WatcherState } from './runtime/watcher.js';
export { createStore, objectKey, reflector, runReflector, Store, StoreWriter, type IndexFn, type StoreChange } from './runtime/store.js';
export * from './types/index.js';
export { Discovery, ResourceNotFoundError, type DiscoveryOptions, type ApiGroupInfo } from './discovery/index.js';
export { Action, Controller, type ControllerConfig, type ErrorPolicy, type ObjectRef, type ReconcileContext, type ReconcileReason, type Reconciler } from './runtime/controller.js';
export { finalizer, FinalizerError, type FinalizerEvent } from './runtime/finalizer.js';
export { awaitCondition, conditions, WaitTimeoutError, type Condition } from './runtime/wait.js';
export { objectReference, Recorder, type EventData, type EventType, type RecorderOptions, type Reporter } from './runtime/events.js';
export { LeaderElector, type LeaderElectorOptions } from './runtime/leader.js';
export * from './crd/index.js';
export { TableRowsApi, type TableRowObject } from './api/table-rows.js';
export { TABLE_ACCEPT, type Table, type TableColumnDefinition, type TableRow } from './api/table.js';
export * from './apply/index.js';
export * from './manifests/index.js';
export * from './streaming/index.js';
export * from './targets/index.js';
export * from './logs/index.js';
