/** Stream names per aggregate: `<aggregate>-<uuid>`. */
export const issueStream = (id: string) => `issue-${id}`;
export const unitStream = (id: string) => `unit-${id}`;
export const appraisalStream = (id: string) => `appraisal-${id}`;
export const noticeStream = (id: string) => `notice-${id}`;
export const calendarStream = (year: number) => `calendar-${year}`;
