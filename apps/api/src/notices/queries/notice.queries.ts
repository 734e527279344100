import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@duban/application';
import { noticeDecider, NoticeState } from '@duban/domain';
import { noticePage } from '@duban/projections';
import type { Principal } from '../../auth/principal';
import { decodeCursor, keysetPage } from '../../http/cursor';
import { IntField, MinPositionField, TextField, UuidField } from '../../http/fields';
import { ReadModelService } from '../../read-model/read-model.service';
import { noticeStream } from '@duban/application';

/** The office drafts notices and reads drafts; everyone else reads what was published. */
const DRAFT_READERS = new Set(['registrar', 'admin', 'auditor', 'assessor']);
const readsDrafts = (principal: Principal) => principal.roles.some((r) => DRAFT_READERS.has(r));
const isUnitOfficerOnly = (principal: Principal) => !readsDrafts(principal) && principal.roles.includes('unit_officer');

/** May the caller see this notice? A unit officer sees the published notices that name their unit. */
function visibleTo(principal: Principal, state: NoticeState): boolean {
  if (readsDrafts(principal)) return true;
  if (state.status !== 'published') return false;
  return !isUnitOfficerOnly(principal) || state.unitIds.includes(principal.unitId ?? '');
}

export function noticeView(state: NoticeState, revision: number) {
  return {
    id: state.id!,
    kind: state.kind!,
    title: state.title!,
    body: state.body!,
    unitIds: state.unitIds,
    issueIds: state.issueIds,
    status: state.status,
    published: state.status === 'published',
    createdAt: state.createdAt,
    publishedAt: state.publishedAt,
    revision,
  };
}

export type NoticeView = ReturnType<typeof noticeView>;

export class GetNoticeQuery extends Query<NoticeView> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Folded from the notice's stream; one the caller may not see is answered as unknown (404). */
@QueryHandler(GetNoticeQuery)
export class GetNoticeQueryHandler implements IQueryHandler<GetNoticeQuery, NoticeView> {
  constructor(private readonly runner: CommandRunner) {}
  async execute({ id, principal }: GetNoticeQuery): Promise<NoticeView> {
    const { state, revision } = await this.runner.load(noticeStream(id), noticeDecider);
    if (revision < 0 || !visibleTo(principal, state)) throw new NotFoundException(`no notice ${id}`);
    return noticeView(state, revision);
  }
}

export class ListNoticesQueryDto {
  @TextField({ max: 200, required: false, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 1000, required: false, example: 100, query: true })
  limit?: number;

  @UuidField({ required: false, description: 'filter: notices naming this unit' })
  unitId?: string;

  @MinPositionField()
  minPosition?: number;
}

export class ListNoticesQuery extends Query<{ items: NoticeView[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListNoticesQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Newest first; a unit officer's list is the published notices naming their unit, whatever they filter by. */
@QueryHandler(ListNoticesQuery)
export class ListNoticesQueryHandler implements IQueryHandler<ListNoticesQuery> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ params, principal }: ListNoticesQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 100;
    const records = noticePage(this.readModel.db, {
      publishedOnly: !readsDrafts(principal),
      unitId: isUnitOfficerOnly(principal) ? (principal.unitId ?? '') : params.unitId,
      before: params.cursor ? decodeCursor(params.cursor) : undefined,
      limit: limit + 1,
    });
    return keysetPage(
      records,
      limit,
      (r) => noticeView(r, r.revision),
      (r): [string, string] => [r.createdAt!, r.id!],
    );
  }
}
