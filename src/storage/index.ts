// Storage on keyv (SQLite, Redis, PostgreSQL) behind the store ports of ports.ts.
export {
  type BackendKind,
  StorageConfigError,
  StorageDataError,
  StorageError,
  StorageUnavailableError,
} from './errors.js';
export { openStorage, type Storage, type StorageOptions } from './open-storage.js';
export { type RetryPolicy, retryPolicies } from './retry.js';
export { maskPassword } from './url.js';
