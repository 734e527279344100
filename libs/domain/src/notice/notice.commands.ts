import type { CommandMeta } from '../decider';
import type { NoticeKind } from './notice.vocabulary';

/** Every notice command: `{type, data, meta}`; `data.noticeId` names the aggregate. */
type NoticeCmd<T extends string, D> = { type: T; data: D & { noticeId: string }; meta: CommandMeta };

/** Whether the named units and issues exist is the application's job (it can read the directory). */
export type CreateNotice = NoticeCmd<
  'CreateNotice',
  { kind: NoticeKind; title: string; body: string; unitIds: string[]; issueIds?: string[] }
>;
export type PublishNotice = NoticeCmd<'PublishNotice', Record<never, never>>;

export type NoticeCommand = CreateNotice | PublishNotice;
export type NoticeCommandType = NoticeCommand['type'];
