export * from './deadline-schedule';
export * from './deadline-view';
