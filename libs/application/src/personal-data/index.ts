export * from './envelope';
export * from './personal-data-keys.port';
export * from './sqlite-personal-data-keys';
export * from './postgres-personal-data-keys';
export * from './personal-data-vault';
export * from './master-key';
