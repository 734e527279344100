/** Stream names per aggregate: `<aggregate>-<uuid>`. */
export const issueStream = (id: string) => `issue-${id}`;
export const unitStream = (id: string) => `unit-${id}`;
export const appraisalStream = (id: string) => `appraisal-${id}`;
