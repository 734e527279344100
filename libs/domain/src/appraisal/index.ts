export * from './appraisal.vocabulary';
export * from './appraisal.types';
export * from './appraisal.decider';
export * from './ballot.decider';
export * from './scoring';
