export * from './locale.js';
export * from './display-time.js';
