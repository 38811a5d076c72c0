export { mapWithConcurrency } from './map-with-concurrency.js';
export { settleWithin } from './settle-within.js';
