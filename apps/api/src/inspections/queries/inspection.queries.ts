import { Inject, NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner, inspectionStream } from '@duban/application';
import { CONFIG, DubanConfig } from '@duban/config';
import { INSPECTION_KINDS, inspectionDecider, InspectionState } from '@duban/domain';
import { inspectionPage, issueStatuses } from '@duban/projections';
import type { Principal } from '../../auth/principal';
import { decodeCursor, keysetPage } from '../../http/cursor';
import { EnumField, IntField, MinPositionField, TextField, UuidField } from '../../http/fields';
import { unitScopeOf } from '../../issues/issue-access';
import { ReadModelService } from '../../read-model/read-model.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today in the agency's time zone, as YYYY-MM-DD. */
const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/**
 * Office roles see every inspection. A unit officer or supervisor sees an inspection that checked one of their
 * units once its day has come (an undercover visit is never announced ahead), with the findings at their units.
 */
function scopedView(state: InspectionState, revision: number, scope: string[] | null, today: string) {
  if (scope && (state.date! > today || !state.unitIds.some((u) => scope.includes(u)))) return null;
  const mine = (unitId: string) => !scope || scope.includes(unitId);
  return {
    id: state.id!,
    kind: state.kind!,
    date: state.date!,
    team: state.team,
    unitIds: state.unitIds.filter(mine),
    programmeId: state.programmeId,
    findings: state.findings.filter((f) => mine(f.unitId)),
    recordedAt: state.recordedAt!,
    revision,
  };
}

type InspectionBase = NonNullable<ReturnType<typeof scopedView>>;
export type InspectionFindingView = InspectionBase['findings'][number] & {
  status: string | null;
  leadUnitId: string | null;
  deadline: string | null;
};
export type InspectionView = Omit<InspectionBase, 'findings'> & {
  findings: InspectionFindingView[];
  /** per unit checked: how many findings, and how many of their issues are closed */
  units: { unitId: string; findings: number; closed: number }[];
};

/** Each finding with its issue's current status (null until the read model has applied the registration). */
function withIssues(base: InspectionBase, readModel: ReadModelService): InspectionView {
  const statuses = issueStatuses(
    readModel.db,
    base.findings.map((f) => f.issueId),
  );
  const findings = base.findings.map((f) => {
    const issue = statuses.get(f.issueId);
    return {
      ...f,
      status: issue?.status ?? null,
      leadUnitId: issue?.leadUnitId ?? null,
      deadline: issue?.deadline ?? null,
    };
  });
  const units = base.unitIds.map((unitId) => {
    const here = findings.filter((f) => f.unitId === unitId);
    return { unitId, findings: here.length, closed: here.filter((f) => f.status === 'closed').length };
  });
  return { ...base, findings, units };
}

export class GetInspectionQuery extends Query<InspectionView> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
    readonly minPosition?: number,
  ) {
    super();
  }
}

/** Folded from the inspection's stream; its findings' issue statuses from the read model. */
@QueryHandler(GetInspectionQuery)
export class GetInspectionQueryHandler implements IQueryHandler<GetInspectionQuery, InspectionView> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModelService,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}
  async execute({ id, principal, minPosition }: GetInspectionQuery): Promise<InspectionView> {
    await this.readModel.ensure(minPosition);
    const { state, revision } = await this.runner.load(inspectionStream(id), inspectionDecider);
    const base =
      revision < 0 ? null : scopedView(state, revision, unitScopeOf(principal), todayIn(this.config.tzAgency));
    if (!base) throw new NotFoundException(`no inspection ${id}`);
    return withIssues(base, this.readModel);
  }
}

export class ListInspectionsQueryDto {
  @EnumField(INSPECTION_KINDS, { required: false })
  kind?: string;

  @UuidField({ required: false, description: 'filter: inspections of this programme' })
  programmeId?: string;

  @UuidField({ required: false, description: 'filter: inspections that checked this unit' })
  unitId?: string;

  @TextField({ max: 10, pattern: DATE, required: false, description: 'dated on or after (YYYY-MM-DD)' })
  from?: string;

  @TextField({ max: 10, pattern: DATE, required: false, description: 'dated on or before (YYYY-MM-DD)' })
  to?: string;

  @TextField({ max: 300, required: false, pattern: /^[A-Za-z0-9_-]+$/, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 200, required: false, query: true, example: 50 })
  limit?: number;

  @MinPositionField()
  minPosition?: number;
}

export class ListInspectionsQuery extends Query<{ items: InspectionView[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListInspectionsQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Latest date first, from the read model; a unit officer's list is the inspections of their unit that took place. */
@QueryHandler(ListInspectionsQuery)
export class ListInspectionsQueryHandler implements IQueryHandler<ListInspectionsQuery> {
  constructor(
    private readonly readModel: ReadModelService,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}
  async execute({ params, principal }: ListInspectionsQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 50;
    const scope = unitScopeOf(principal);
    const today = todayIn(this.config.tzAgency);
    const unitIds = scope
      ? params.unitId
        ? scope.filter((u) => u === params.unitId)
        : scope
      : params.unitId && [params.unitId];
    const records = inspectionPage(this.readModel.db, {
      kind: params.kind,
      programmeId: params.programmeId,
      unitIds: unitIds || undefined,
      dateUpTo: scope ? today : undefined,
      from: params.from,
      to: params.to,
      before: params.cursor ? decodeCursor(params.cursor) : undefined,
      limit: limit + 1,
    });
    return keysetPage(
      records,
      limit,
      (r) => withIssues(scopedView(r, r.revision, scope, today)!, this.readModel),
      (r): [string, string] => [r.date!, r.id!],
    );
  }
}
