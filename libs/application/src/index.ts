export * from './command-runner';
export * from './streams';
