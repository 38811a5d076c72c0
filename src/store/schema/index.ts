export * from './accounts.js';
export * from './circles.js';
export * from './uniques.js';
export * from './bindings.js';
export * from './registration-events.js';
export * from './incidents.js';
export * from './outbox.js';
export * from './oncall.js';
