export * from './config';
export * from './jwt-secret';
export * from './config.module';
