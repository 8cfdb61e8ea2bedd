export { ExecutorClient, type ExecutorClientOptions, type CallOptions } from './client';
export { ExecutorError } from './errors';
