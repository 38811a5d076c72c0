export { RecentMap } from './recent-map.js';
export { mapWithConcurrency } from './map-with-concurrency.js';
