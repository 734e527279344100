export * from './notification-routing';
export * from './delivery.decider';
