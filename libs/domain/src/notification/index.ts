export * from './notification-routing';
export * from './delivery.decider';
export * from './inbox.decider';
