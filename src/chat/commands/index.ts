export * from './chat-command.js';
export * from './chat-reply.js';
export * from './chat-service.js';
