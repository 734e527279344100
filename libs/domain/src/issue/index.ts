export * from './issue.types';
export * from './issue.state';
export * from './issue.decider';
