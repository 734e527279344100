import type { NoticeKind } from './notice.vocabulary';

/** Every notice event carries `noticeId`, `at` (the command's time) and `by` (the actor's id). */
type NoticeEvt<T extends string, D> = { type: T; data: D & { noticeId: string; at: string; by: string } };

export type NoticeCreated = NoticeEvt<
  'NoticeCreated',
  { kind: NoticeKind; title: string; body: string; unitIds: string[]; issueIds: string[] }
>;
/** Repeats what readers of the published notice need (kind, title, units), so routing and statistics look nothing up. */
export type NoticePublished = NoticeEvt<
  'NoticePublished',
  { kind: NoticeKind; title: string; unitIds: string[]; issueIds: string[] }
>;

export type NoticeEvent = NoticeCreated | NoticePublished;
export type NoticeEventType = NoticeEvent['type'];

export const NOTICE_EVENT_TYPES: readonly NoticeEventType[] = ['NoticeCreated', 'NoticePublished'];
