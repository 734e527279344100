export * from './command-runner';
export * from './system-command';
export * from './streams';
export * from './application.module';
