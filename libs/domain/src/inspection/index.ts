export * from './inspection.vocabulary';
export * from './inspection.commands';
export * from './inspection.events';
export * from './inspection.state';
export * from './inspection.decider';
