export { issueStream, unitStream, appraisalStream } from '@duban/application';

/** What every command answers: the stream's revision and the global position (for read-your-writes). */
export interface CommandAnswer {
  id: string;
  revision: number;
  position: number;
}
