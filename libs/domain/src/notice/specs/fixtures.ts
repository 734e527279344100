import type { NoticeCommand, NoticeCommandType } from '../notice.commands';
import type { NoticeCreated, NoticePublished } from '../notice.events';

export const NOTICE = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
export const UNIT_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const UNIT_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const ISSUE = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
export const AT = '2026-03-01T00:00:00.000Z';
export const LATER = '2026-03-02T00:00:00.000Z';
export const registrar = { id: 'registrar-1', role: 'registrar' };

type DataOf<T extends NoticeCommandType> = Omit<Extract<NoticeCommand, { type: T }>['data'], 'noticeId'>;

/** A command on NOTICE, a day after its creation unless said otherwise. */
export const command = <T extends NoticeCommandType>(type: T, data: DataOf<T>, at = LATER) =>
  ({ type, data: { noticeId: NOTICE, ...data }, meta: { at, actor: registrar } }) as unknown as Extract<
    NoticeCommand,
    { type: T }
  >;

export const base = (at = LATER) => ({ noticeId: NOTICE, at, by: registrar.id });

/** The story: the 住建局 (A) is criticised for foot-dragging on one issue, the notice drafted, then published. */
export const draft = {
  kind: 'criticism' as const,
  title: '关于市住建局推诿扯皮问题的通报',
  body: '经查，市住建局在办理群众反映问题中存在推诿扯皮现象，现予通报批评，限期整改。',
  unitIds: [UNIT_A],
  issueIds: [ISSUE],
};

export const created: NoticeCreated = { type: 'NoticeCreated', data: { ...base(AT), ...draft } };
export const published: NoticePublished = {
  type: 'NoticePublished',
  data: { ...base(), kind: draft.kind, title: draft.title, unitIds: [UNIT_A], issueIds: [ISSUE] },
};
