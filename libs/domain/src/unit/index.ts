export * from './unit.vocabulary';
export * from './unit.commands';
export * from './unit.events';
export * from './unit.state';
export * from './unit.decider';
