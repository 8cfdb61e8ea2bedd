export { ExecutorClient, type ExecutorClientOptions, type CallOptions, type Unpacked } from './client';
export { ExecutorError } from './errors';
