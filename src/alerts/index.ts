export * from './incident.js';
export * from './alert-view.js';
export * from './chat-delivery.js';
