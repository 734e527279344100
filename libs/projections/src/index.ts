export * from './projection';
export * from './projection-runner';
export * from './units.projection';
export * from './statements';
