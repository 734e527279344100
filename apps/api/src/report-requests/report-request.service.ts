import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CommandRunner, programmeStream, reportRequestStream, unitStream } from '@duban/application';
import { CONFIG, DubanConfig } from '@duban/config';
import { InvalidCommand, ReportRequestCommand, reportRequestDecider } from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandAnswer, CommandInput, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';
import { AttachmentService } from '../attachments/attachment.service';
import type { CreateReportRequestRequestDto, SubmitUnitReportRequestDto } from './commands/report-request.request.dto';

type ReportRequestCommandInput = CommandInput<ReportRequestCommand>;

const onlyUnitOfficer = (caller: Caller) => caller.principal.roles.every((r) => r === 'unit_officer');

/**
 * Report requests' use cases. The I/O: the named units and programme exist, a due date means the end of that
 * day in TZ_AGENCY, and a unit officer reports for their own unit only; the rules are the decider's.
 */
@Injectable()
export class ReportRequestService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: DubanConfig,
    private readonly attachments: AttachmentService,
  ) {}

  async create(id: string, body: CreateReportRequestRequestDto, caller: Caller): Promise<CommandAnswer> {
    for (const [i, unitId] of body.unitIds.entries())
      if (!(await this.store.streamInfo(unitStream(unitId))).exists)
        throw new InvalidCommand(`unitIds[${i}]`, `no unit ${unitId}`);
    if (body.programmeId && !(await this.store.streamInfo(programmeStream(body.programmeId))).exists)
      throw new InvalidCommand('programmeId', `no programme ${body.programmeId}`);
    return this.execute(
      {
        type: 'CreateReportRequest',
        data: { reportRequestId: id, ...body, dueAt: this.dueAt(body.dueDate), programmeId: body.programmeId ?? null },
      },
      caller,
    );
  }

  /** 404 before 403: a unit officer learns nothing of a request beyond that it asks (or does not ask) their unit. */
  async submit(id: string, body: SubmitUnitReportRequestDto, caller: Caller): Promise<CommandAnswer> {
    if (onlyUnitOfficer(caller) && body.unitId !== caller.principal.unitId)
      throw new ForbiddenException('a unit officer submits reports for their own unit only');
    const attachments = await this.attachments.resolveIds('attachments', body.attachments, caller.principal);
    const data = { reportRequestId: id, ...body, attachments };
    return this.execute({ type: 'SubmitUnitReport', data }, caller, (state) => {
      if (state.status === 'none') throw new NotFoundException(`no report request ${id}`);
      if (onlyUnitOfficer(caller) && !state.unitIds.includes(caller.principal.unitId ?? ''))
        throw new ForbiddenException(`report request ${id} does not ask your unit for a report`);
    });
  }

  /** A date is due by the end of that day in the agency's time zone; an instant is taken as written. */
  private dueAt(dueDate: string): string {
    const date = /^\d{4}-\d{2}-\d{2}$/.test(dueDate);
    const parsed = date
      ? DateTime.fromISO(dueDate, { zone: this.config.tzAgency }).endOf('day')
      : DateTime.fromISO(dueDate, { setZone: true });
    if (!parsed.isValid) throw new InvalidCommand('dueDate', `${dueDate} is not a real date`);
    return parsed.toUTC().toISO()!;
  }

  private async execute(
    command: ReportRequestCommandInput,
    caller: Caller,
    guard?: (state: ReturnType<typeof reportRequestDecider.initialState>) => void,
  ): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: reportRequestStream(command.data.reportRequestId),
      decider: reportRequestDecider,
      command: { ...command, meta: { at: now(), actor } },
      ifMatch: caller.ifMatch,
      guard,
      meta: { actor },
      name: command.type,
    });
    return { id: command.data.reportRequestId, revision: result.revision, position: result.position };
  }
}
