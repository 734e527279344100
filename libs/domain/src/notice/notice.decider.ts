import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { requireInstant, requireOneOf, requireStringList, requireText } from '../validation';
import type { CreateNotice, NoticeCommand, PublishNotice } from './notice.commands';
import type { NoticeEvent } from './notice.events';
import { evolveNotice, initialNoticeState, NoticeState } from './notice.state';
import { NOTICE_KINDS } from './notice.vocabulary';

/**
 * Notices (通报, DESIGN.md §7.1): drafted by the office, then published once. Publication is what units,
 * statistics and the public see, so a published notice is final: a correction is a new notice.
 */
export function decideNotice(command: NoticeCommand, state: NoticeState): NoticeEvent[] {
  switch (command.type) {
    case 'CreateNotice':
      return createNotice(command, state);
    case 'PublishNotice':
      return publishNotice(command, state);
    default:
      return unknownCommand(command);
  }
}

/** What every notice event's data starts with, the command's meta checked. */
function eventBase(command: NoticeCommand) {
  return {
    noticeId: requireText('noticeId', command.data.noticeId),
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };
}

function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown notice command ${String(Reflect.get(Object(command), 'type'))}`);
}

/** A draft naming at least one unit; the same unit or issue named twice counts once. */
export function createNotice(command: CreateNotice, state: NoticeState): NoticeEvent[] {
  const base = eventBase(command);
  if (state.status !== 'none') throw new AlreadyExists(`notice ${base.noticeId} already exists`);
  const d = command.data;
  const unitIds = [...new Set(requireStringList('unitIds', d.unitIds))];
  if (unitIds.length === 0) throw new InvalidCommand('unitIds', 'must name at least one unit');
  return [
    {
      type: 'NoticeCreated',
      data: {
        ...base,
        kind: requireOneOf('kind', d.kind, NOTICE_KINDS),
        title: requireText('title', d.title),
        body: requireText('body', d.body),
        unitIds,
        issueIds: [...new Set(requireStringList('issueIds', d.issueIds))],
      },
    },
  ];
}

/** Once: a second publication is refused, naming the state, so a retry by mistake is visible. */
export function publishNotice(command: PublishNotice, state: NoticeState): NoticeEvent[] {
  const base = eventBase(command);
  if (state.status === 'none') throw new NotFound(`notice ${base.noticeId} does not exist`);
  if (state.status === 'published')
    throw new IllegalTransition(
      `cannot publish a notice that is already published (at ${state.publishedAt}); a published notice is final, create a new notice to correct it`,
      state.status,
      command.type,
    );
  return [
    {
      type: 'NoticePublished',
      data: { ...base, kind: state.kind!, title: state.title!, unitIds: state.unitIds, issueIds: state.issueIds },
    },
  ];
}

export const noticeDecider: Decider<NoticeState, NoticeCommand, NoticeEvent> = {
  decide: decideNotice,
  evolve: evolveNotice,
  initialState: initialNoticeState,
};
