/**
 * The words and limits of report requests (报送要求, DESIGN.md §7.1): the office asks named units for a report
 * by a due date — the special report by 12月10日, the year-end work report. The HTTP layer validates request
 * bodies against these; the decider checks what the domain itself relies on.
 */

/** 专项报告, 年度工作报告, 其他报告 */
export const REPORT_REQUEST_KINDS = ['special', 'annual', 'other'] as const;
export type ReportRequestKind = (typeof REPORT_REQUEST_KINDS)[number];

export const REPORT_REQUEST_KIND_NAMES: Record<ReportRequestKind, { zh: string; en: string }> = {
  special: { zh: '专项报告', en: 'special report' },
  annual: { zh: '年度工作报告', en: 'annual work report' },
  other: { zh: '其他报告', en: 'other report' },
};

/** Maximum lengths in characters and list sizes. */
export const REPORT_REQUEST_LIMITS = {
  title: 200,
  text: 50_000,
  unitIds: 500,
  attachments: 20,
  attachment: 200,
} as const;
