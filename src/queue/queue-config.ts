// What `synth materialize` needs before it knows whether a run is queued: without BullMQ or ioredis.
export { executorConfig, ExecutorConfigSchema, type ExecutorConfig } from './executor-config.js';
export { parseQueueUrl, type RedisLocation } from './queue-url.js';
