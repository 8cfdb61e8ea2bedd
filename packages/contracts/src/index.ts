export * from './envelope';
export * from './validators';
export * from './actions';
export * from './json-schema';
export * from './destination';
