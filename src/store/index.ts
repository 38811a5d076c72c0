export * from './db.js';
export { RegistrationWriter, type RegistrationCommit, type StoredEventsListener } from './registration-writer.js';
export { TableStatistics } from './table-statistics.js';
export { DrizzleAccountRepo } from './repos/account-repo.js';
export { DrizzleCircleRepo } from './repos/circle-repo.js';
export { DrizzleUniqueRepo } from './repos/unique-repo.js';
export { DrizzleBindingRepo } from './repos/binding-repo.js';
export { DrizzleEventRepo } from './repos/event-repo.js';
export * as schema from './schema/index.js';
