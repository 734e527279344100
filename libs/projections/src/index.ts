export * from './projection';
export * from './projection-runner';
export * from './statements';
export * from './read-model';
