import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { CommandRunner, inspectionStream, newAggregateId, programmeStream, unitStream } from '@duban/application';
import {
  INSPECTION_FINDING_SOURCES,
  INSPECTION_KIND_NAMES,
  inspectionDecider,
  InvalidCommand,
  NotFound,
  RecordInspection,
} from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandAnswer, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';
import { IssueService } from '../issues/issue.service';
import { unitScopeOf } from '../issues/issue-access';
import type { RecordFindingRequestDto } from './commands/record-finding.request.dto';

/**
 * Inspections' use cases: the I/O is checking that the units and the programme named exist, and the caller's
 * unit scope; a finding is recorded on the inspection, then registered as an issue through the issue use case.
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly issues: IssueService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async record(
    inspectionId: string,
    data: Omit<RecordInspection['data'], 'inspectionId'>,
    caller: Caller,
  ): Promise<CommandAnswer> {
    for (const [i, unitId] of data.unitIds.entries())
      if (!(await this.store.streamInfo(unitStream(unitId))).exists)
        throw new InvalidCommand(`unitIds[${i}]`, `no unit ${unitId}`);
    if (data.programmeId !== undefined && !(await this.store.streamInfo(programmeStream(data.programmeId))).exists)
      throw new InvalidCommand('programmeId', `no programme ${data.programmeId}`);
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: inspectionStream(inspectionId),
      decider: inspectionDecider,
      command: { type: 'RecordInspection', data: { ...data, inspectionId }, meta: { at: now(), actor } },
      meta: { actor },
      name: 'RecordInspection',
    });
    return { id: inspectionId, revision: result.revision, position: result.position };
  }

  /**
   * 发现问题: recorded on the inspection first (it refuses a unit it did not check), then registered as an issue
   * of the source the kind implies, about that unit. A supervisor records findings only at units they supervise.
   */
  async recordFinding(inspectionId: string, finding: RecordFindingRequestDto, caller: Caller) {
    const loaded = await this.runner.load(inspectionStream(inspectionId), inspectionDecider);
    if (loaded.revision < 0) throw new NotFound(`no inspection ${inspectionId}`);
    const scope = unitScopeOf(caller.principal);
    if (scope && !scope.includes(finding.unitId))
      throw new ForbiddenException(
        `you record findings only at the units you supervise; unit ${finding.unitId} is not one of them`,
      );
    const kind = loaded.state.kind!;
    const issueId = newAggregateId('issue');
    const actor = actorOf(caller.principal);
    await this.runner.execute({
      streamId: inspectionStream(inspectionId),
      decider: inspectionDecider,
      command: {
        type: 'RecordInspectionFinding',
        data: { inspectionId, issueId, unitId: finding.unitId, title: finding.title },
        meta: { at: now(), actor },
      },
      ifMatch: caller.ifMatch,
      meta: { actor },
      name: 'RecordInspectionFinding',
      loaded,
    });
    const registered = await this.issues.register(
      issueId,
      {
        source: INSPECTION_FINDING_SOURCES[kind],
        category: finding.category ?? INSPECTION_KIND_NAMES[kind].zh,
        title: finding.title,
        description: finding.description,
        accused: { unitId: finding.unitId },
        inspectionId,
      },
      { principal: caller.principal },
    );
    return { issueId, revision: registered.revision, position: registered.position };
  }
}
