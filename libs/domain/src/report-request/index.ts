export * from './report-request.vocabulary';
export * from './report-request.commands';
export * from './report-request.events';
export * from './report-request.state';
export * from './report-request.decider';
