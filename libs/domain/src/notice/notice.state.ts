import type { NoticeEvent } from './notice.events';
import type { NoticeKind, NoticeStatus } from './notice.vocabulary';

export interface NoticeState {
  id: string | null;
  /** `none` until created */
  status: 'none' | NoticeStatus;
  kind: NoticeKind | null;
  title: string | null;
  body: string | null;
  unitIds: string[];
  issueIds: string[];
  createdAt: string | null;
  createdBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

export function initialNoticeState(): NoticeState {
  return {
    id: null,
    status: 'none',
    kind: null,
    title: null,
    body: null,
    unitIds: [],
    issueIds: [],
    createdAt: null,
    createdBy: null,
    publishedAt: null,
    publishedBy: null,
  };
}

export function evolveNotice(state: NoticeState, event: NoticeEvent): NoticeState {
  switch (event.type) {
    case 'NoticeCreated': {
      const e = event.data;
      return {
        ...initialNoticeState(),
        id: e.noticeId,
        status: 'draft',
        kind: e.kind,
        title: e.title,
        body: e.body,
        unitIds: e.unitIds,
        issueIds: e.issueIds,
        createdAt: e.at,
        createdBy: e.by,
      };
    }
    case 'NoticePublished':
      return { ...state, status: 'published', publishedAt: event.data.at, publishedBy: event.data.by };
    default:
      return state;
  }
}
