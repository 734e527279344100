import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CommandRunner, reportRequestStream } from '@duban/application';
import { missingUnits, reportRequestDecider, ReportRequestState } from '@duban/domain';
import { reportRequestPage } from '@duban/projections';
import type { Principal } from '../../auth/principal';
import { decodeCursor, keysetPage } from '../../http/cursor';
import { IntField, MinPositionField, TextField, UuidField } from '../../http/fields';
import { ReadModelService } from '../../read-model/read-model.service';

/**
 * The units a caller is limited to: a unit officer their own, a supervisor (监督员) those they supervise; null
 * for the office's roles, which read every request and every report.
 */
function unitScope(principal: Principal): string[] | null {
  if (!principal.roles.every((r) => r === 'unit_officer' || r === 'supervisor')) return null;
  return [
    ...(principal.roles.includes('unit_officer') && principal.unitId ? [principal.unitId] : []),
    ...(principal.roles.includes('supervisor') ? (principal.unitIds ?? []) : []),
  ];
}

/**
 * A request as its readers see it: who reported when and whether late, who is missing, the worker's reminders and
 * the overdue record; the reports' texts for the office and, for a unit, its own.
 */
export function reportRequestView(state: ReportRequestState, revision: number, principal: Principal, at: string) {
  const scope = unitScope(principal);
  return {
    id: state.id!,
    title: state.title!,
    kind: state.kind!,
    unitIds: state.unitIds,
    dueDate: state.dueDate!,
    dueAt: state.dueAt!,
    due: at > state.dueAt!,
    programmeId: state.programmeId,
    createdAt: state.createdAt!,
    submitted: state.reports.map((r) => ({ unitId: r.unitId, at: r.at, late: r.late })),
    missing: missingUnits(state),
    reports: state.reports
      .filter((r) => scope === null || scope.includes(r.unitId))
      .map((r) => ({ unitId: r.unitId, at: r.at, late: r.late, text: r.text, attachments: r.attachments })),
    reminders: state.reminders,
    overdue: state.overdue,
    revision,
  };
}

export type ReportRequestView = ReturnType<typeof reportRequestView>;

export class GetReportRequestQuery extends Query<ReportRequestView> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Folded from the request's stream; one that does not ask any of the caller's units is answered as unknown (404). */
@QueryHandler(GetReportRequestQuery)
export class GetReportRequestQueryHandler implements IQueryHandler<GetReportRequestQuery, ReportRequestView> {
  constructor(private readonly runner: CommandRunner) {}
  async execute({ id, principal }: GetReportRequestQuery): Promise<ReportRequestView> {
    const { state, revision } = await this.runner.load(reportRequestStream(id), reportRequestDecider);
    const scope = unitScope(principal);
    if (revision < 0 || (scope !== null && !state.unitIds.some((u) => scope.includes(u))))
      throw new NotFoundException(`no report request ${id}`);
    return reportRequestView(state, revision, principal, new Date().toISOString());
  }
}

export class ListReportRequestsQueryDto {
  @TextField({ max: 200, required: false, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 1000, required: false, example: 100, query: true })
  limit?: number;

  @UuidField({ required: false, description: 'filter: requests asking this unit' })
  unitId?: string;

  @UuidField({ required: false, description: 'filter: requests of this programme' })
  programmeId?: string;

  @MinPositionField()
  minPosition?: number;
}

export class ListReportRequestsQuery extends Query<{ items: ReportRequestView[]; nextCursor: string | null }> {
  constructor(
    readonly params: ListReportRequestsQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Newest first; a unit officer's or supervisor's list holds only the requests asking their units. */
@QueryHandler(ListReportRequestsQuery)
export class ListReportRequestsQueryHandler implements IQueryHandler<ListReportRequestsQuery> {
  constructor(private readonly readModel: ReadModelService) {}
  async execute({ params, principal }: ListReportRequestsQuery) {
    await this.readModel.ensure(params.minPosition);
    const limit = params.limit ?? 100;
    const scope = unitScope(principal);
    const asked = params.unitId ? [params.unitId] : undefined;
    // a unit asked for outside the caller's scope is an empty page, like any filter that matches nothing
    const unitIds = scope === null ? asked : scope.filter((u) => !asked || asked.includes(u));
    const records =
      unitIds?.length === 0
        ? []
        : reportRequestPage(this.readModel.db, {
            unitIds,
            programmeId: params.programmeId,
            before: params.cursor ? decodeCursor(params.cursor) : undefined,
            limit: limit + 1,
          });
    const at = new Date().toISOString();
    return keysetPage(
      records,
      limit,
      (r) => reportRequestView(r, r.revision, principal, at),
      (r): [string, string] => [r.createdAt!, r.id!],
    );
  }
}
