export * from './command-runner';
export * from './streams';
export * from './application.module';
