/** Stream names per aggregate: `<aggregate>-<uuid>`. */
export const issueStream = (id: string) => `issue-${id}`;
export const unitStream = (id: string) => `unit-${id}`;
export const appraisalStream = (id: string) => `appraisal-${id}`;
export const noticeStream = (id: string) => `notice-${id}`;
export const programmeStream = (id: string) => `programme-${id}`;
export const inspectionStream = (id: string) => `inspection-${id}`;
export const calendarStream = (year: number) => `calendar-${year}`;
/** where the consequences process manager starts (one record, see apps/worker/src/consequences) */
export const consequencesStream = 'consequences';
export const reportRequestStream = (id: string) => `report-request-${id}`;
/** One year-end review per year (年度考核): its definition is the year's. */
export const annualReviewStream = (year: number) => `annual-review-${year}`;
