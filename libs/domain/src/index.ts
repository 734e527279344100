export * from './decider';
export * from './errors';
export * from './issue';
export * from './unit';
export * from './calendar';
