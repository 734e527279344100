export * from './request-context';
export * from './logger';
export * from './metrics';
export * from './redis.module';
export * from './shutdown-log';
export * from './queues';
export * from './webhook-signature';
export * from './ssrf-guard';
