/** Stream names per aggregate: `<aggregate>-<uuid>`. */
export const issueStream = (id: string) => `issue-${id}`;
export const unitStream = (id: string) => `unit-${id}`;
export const appraisalStream = (id: string) => `appraisal-${id}`;

/** What every command answers: the stream's revision and the global position (for read-your-writes). */
export interface CommandAnswer {
  id: string;
  revision: number;
  position: number;
}
