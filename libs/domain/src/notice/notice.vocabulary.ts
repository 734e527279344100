/**
 * The words and limits of notices (通报, DESIGN.md §7.1). The HTTP layer validates request bodies against
 * these; the decider checks what the domain itself relies on.
 */

/** 通报批评, 通报表扬, 情况通报 */
export const NOTICE_KINDS = ['criticism', 'commendation', 'information'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** How a notice of each kind is called in a notification. */
export const NOTICE_KIND_NAMES: Record<NoticeKind, string> = {
  criticism: '通报批评',
  commendation: '通报表扬',
  information: '情况通报',
};

/** A notice is drafted, then published once; a published notice is never changed (a correction is a new notice). */
export const NOTICE_STATUSES = ['draft', 'published'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Maximum lengths in characters and list sizes. */
export const NOTICE_LIMITS = {
  title: 200,
  body: 20_000,
  unitIds: 200,
  issueIds: 200,
} as const;
