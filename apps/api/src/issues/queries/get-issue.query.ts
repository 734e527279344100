import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { issueDecider, issueView } from '@duban/domain';
import type { Principal } from '../../auth/principal';
import { CommandRunner } from '@duban/application';
import { issueStream } from '../../application/streams';
import { CalendarService } from '../../calendar/calendar.service';
import { InstantField } from '../../http/fields';
import { assertIssueInScope } from '../issue-access';
import { PersonalDataService, type ShownReporter } from '../../personal-data/personal-data.service';

export class GetIssueQueryDto {
  @InstantField({
    required: false,
    example: '2026-11-01T00:00:00Z',
    description: 'the state as it stood at this instant',
  })
  asOf?: string;
}

export type IssueAnswer = Omit<ReturnType<typeof issueView>, 'reporter'> & {
  /** revealed at render time (PIPL): withheld, erased or the fields, as the caller may read them */
  reporter: ShownReporter | null;
  revision: number;
  deadlineProvisional: boolean;
};

export class GetIssueQuery extends Query<IssueAnswer> {
  constructor(
    readonly id: string,
    readonly principal: Principal,
    readonly asOf?: string,
  ) {
    super();
  }
}

/** Folded from the stream (not a read model), so it is exact at any revision and any past instant. */
@QueryHandler(GetIssueQuery)
export class GetIssueQueryHandler implements IQueryHandler<GetIssueQuery, IssueAnswer> {
  constructor(
    private readonly executor: CommandRunner,
    private readonly calendar: CalendarService,
    private readonly personalData: PersonalDataService,
  ) {}

  async execute({ id, principal, asOf }: GetIssueQuery): Promise<IssueAnswer> {
    const { state, revision } = await this.executor.load(issueStream(id), issueDecider, asOf);
    if (asOf && revision < 0) throw new NotFoundException(`issue ${id} did not exist at ${asOf}`);
    // overdue is derived against the moment asked about: asOf, or now
    const view = issueView(state, asOf ?? new Date().toISOString());
    assertIssueInScope(principal, view, revision, id);
    const deadlineProvisional = this.calendar.anyProvisional(view.deadlineProvisionalYears);
    const reporter = await this.personalData.show(id, view.reporter, principal, 'issue');
    return { ...view, reporter, deadlineProvisional, revision };
  }
}
