/** The queue room: BullMQ on Redis as a compute site (coordinator side) and `synth worker` (worker side). */
export { QueueSite, QueueUnavailableError, type QueueSiteOptions } from './queue-site.js';
export { startAssetWorker, type AssetWorker, type AssetWorkerOptions, type WorkerEvent } from './asset-worker.js';
export { parseQueueUrl, type RedisLocation } from './queue-url.js';
export { definitionsFingerprint, type Fingerprint } from './fingerprint.js';
export { ExecutorConfigSchema, executorConfig, type ExecutorConfig } from './executor-config.js';
export { pathStore, type SharedStore } from './shared-store.js';
