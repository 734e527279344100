export * from './deadline-schedule';
