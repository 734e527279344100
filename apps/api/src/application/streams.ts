export { issueStream, unitStream, appraisalStream } from '@duban/application';
export type { CommandAnswer } from './commands';
