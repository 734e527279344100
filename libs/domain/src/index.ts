/**
 * @duban/domain: the pure domain of Duban (督办). Deciders (`decide(command, state) → events`,
 * `evolve`, `initialState`) for issues and units, their named errors, and the working-day calendar.
 * No Nest, no I/O, no clock: the time of a command comes in `command.meta.at`.
 */
export * from './decider';
export * from './errors';
export * from './issue';
export * from './unit';
export * from './calendar';
export * from './deadline';
export * from './notification';
export * from './appraisal';
export * from './notice';
export * from './report-request';
export * from './annual-review';
export * from './attachment/attachment-ref';
export * from './programme';
export * from './inspection';
