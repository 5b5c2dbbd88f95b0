/**
 * The store domain's entry point.
 *
 * @module
 */

export type {
  DeleteOptions,
  EncodedList,
  EncodedListStream,
  ListOptions,
  ListResult,
  ResourceType,
  StopWatch,
  Store,
  StoreOptions,
  UpdateOptions,
  WatchEvent,
  WatchListener,
  WatchOptions,
} from "./store.js";
export { WatchEventType, apiVersionOf, resourceId } from "./store.js";
export type { StoreErrorDetails } from "./errors.js";
export {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  GoneError,
  InvalidError,
  NotFoundError,
  StoreError,
  StoreErrorReason,
  TooLargeError,
  isStoreError,
} from "./errors.js";
export { ResourceTypes, findResourceType, resourceTypeForKind } from "./resources.js";
export { openMemoryStore } from "./memory.js";
export { countObjects, eachObject } from "./pages.js";
export type { SqliteStoreOptions } from "./sqlite.js";
export { openSqliteStore } from "./sqlite.js";
export { DEFAULT_HISTORY_SIZE } from "./kubestore.js";
export { DEFAULT_HISTORY_BYTES, MAX_OBJECT_BYTES } from "./history-budget.js";
export type { FieldSelector, LabelSelector } from "./selectors.js";
export { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
