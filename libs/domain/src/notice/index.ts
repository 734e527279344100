export * from './notice.vocabulary';
export * from './notice.commands';
export * from './notice.events';
export * from './notice.state';
export * from './notice.decider';
