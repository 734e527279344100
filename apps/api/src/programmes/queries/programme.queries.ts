import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { PROGRAMME_KINDS, PROGRAMME_LIMITS } from '@duban/domain';
import { programmePage, programmeRecord, ProgrammeRecord, programmeSummary } from '@duban/projections';
import type { Principal } from '../../auth/principal';
import { decodeCursor, keysetPage } from '../../http/cursor';
import { EnumField, IntField, MinPositionField, TextField } from '../../http/fields';
import { unitScopeOf } from '../../issues/issue-access';
import { ReadModelService } from '../../read-model/read-model.service';

/** What a programme says of itself, without its figures. */
function programmeView(record: ProgrammeRecord) {
  return {
    id: record.id!,
    name: record.name!,
    year: record.year!,
    kind: record.kind!,
    period: record.period!,
    leadLeader: record.leadLeader,
    phases: record.phases,
    targets: record.targets,
    createdAt: record.createdAt!,
    revision: record.revision,
  };
}

export type ProgrammeDetail = ReturnType<typeof programmeView> & ReturnType<typeof programmeSummary>;

export class GetProgrammeQuery extends Query<ProgrammeDetail> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
    readonly minPosition?: number,
  ) {
    super();
  }
}

/**
 * A programme with its tasks' figures now. Office roles see every programme; a unit officer (or supervisor) sees
 * a programme in which their units have a task, with the figures of those tasks only — any other is unknown (404).
 */
@QueryHandler(GetProgrammeQuery)
export class GetProgrammeQueryHandler implements IQueryHandler<GetProgrammeQuery, ProgrammeDetail> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ id, principal, minPosition }: GetProgrammeQuery): Promise<ProgrammeDetail> {
    await this.readModel.ensure(minPosition);
    const record = programmeRecord(this.readModel.db, id);
    if (!record) throw new NotFoundException(`no programme ${id}`);
    const scope = unitScopeOf(principal) ?? undefined;
    const summary = programmeSummary(this.readModel.db, id, new Date().toISOString(), scope);
    if (scope && summary.tasks.total === 0) throw new NotFoundException(`no programme ${id}`);
    return { ...programmeView(record), ...summary };
  }
}

export class ListProgrammesQueryDto {
  @IntField({ ...PROGRAMME_LIMITS.year, required: false, query: true, description: 'filter: programmes of this year' })
  year?: number;

  @EnumField(PROGRAMME_KINDS, { required: false })
  kind?: string;

  @TextField({ max: 300, required: false, pattern: /^[A-Za-z0-9_-]+$/, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 200, required: false, query: true, example: 50 })
  limit?: number;

  @MinPositionField()
  minPosition?: number;
}

type ProgrammeListItem = ReturnType<typeof programmeView> & { tasks: ProgrammeDetail['tasks'] };

export class ListProgrammesQuery extends Query<{ items: ProgrammeListItem[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListProgrammesQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Newest first, each with its task figures; a unit officer's list is the programmes their units have tasks in. */
@QueryHandler(ListProgrammesQuery)
export class ListProgrammesQueryHandler implements IQueryHandler<ListProgrammesQuery> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ params, principal }: ListProgrammesQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 50;
    const scope = unitScopeOf(principal) ?? undefined;
    const db = this.readModel.db;
    const records = programmePage(db, {
      year: params.year,
      kind: params.kind,
      unitIds: scope,
      before: params.cursor ? decodeCursor(params.cursor) : undefined,
      limit: limit + 1,
    });
    const asOf = new Date().toISOString();
    return keysetPage(
      records,
      limit,
      (r) => ({ ...programmeView(r), tasks: programmeSummary(db, r.id!, asOf, scope).tasks }),
      (r) => [r.createdAt!, r.id!],
    );
  }
}
