export * from './credential-cache.js';
export * from './line-queries.js';
export * from './provisioning.js';
export * from './deadline.js';
