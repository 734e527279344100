export * from './programme.vocabulary';
export * from './programme.commands';
export * from './programme.events';
export * from './programme.state';
export * from './programme.decider';
