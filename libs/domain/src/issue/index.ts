export * from './issue.vocabulary';
export * from './issue.commands';
export * from './issue.events';
export * from './issue.state';
export * from './issue.lifecycle';
export * from './issue.decider';
export * from './decide';
