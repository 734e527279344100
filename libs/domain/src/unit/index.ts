export * from './unit.decider';
