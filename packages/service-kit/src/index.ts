export * from './config';
export * from './errors';
export * from './lifecycle';
export * from './logger';
export * from './request-context';
export * from './request-id';
export * from './metrics';
export * from './text';
