export * from './status-document.js';
export * from './remediation-tips.js';
export { statusMessages } from './messages.js';
