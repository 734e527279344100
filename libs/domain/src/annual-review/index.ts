export * from './annual-review.vocabulary';
export * from './annual-review.commands';
export * from './annual-review.events';
export * from './annual-review.state';
export * from './annual-review.decider';
export * from './annual-review.scoring';
