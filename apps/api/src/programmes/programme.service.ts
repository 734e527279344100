import { Injectable } from '@nestjs/common';
import { CommandRunner, newAggregateId, programmeStream, unitStream } from '@duban/application';
import { CreateProgramme, InvalidCommand, NotFound, programmeDecider, unitDecider } from '@duban/domain';
import { CommandAnswer, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';
import { IssueService } from '../issues/issue.service';
import type { AddProgrammeTaskRequestDto } from './commands/add-programme-task.request.dto';

/** Where a task added by the shortcut comes from unless the caller says: deployed by the supervision office. */
const TASK_SOURCE = 'supervision_team';

/**
 * Programmes' use cases. A programme is an aggregate of its own; its tasks are issues, so adding a task is the
 * issue use cases (register, then assign) composed, each under the request's Idempotency-Key.
 */
@Injectable()
export class ProgrammeService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly issues: IssueService,
  ) {}

  async create(
    programmeId: string,
    data: Omit<CreateProgramme['data'], 'programmeId'>,
    caller: Caller,
  ): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: programmeStream(programmeId),
      decider: programmeDecider,
      command: { type: 'CreateProgramme', data: { ...data, programmeId }, meta: { at: now(), actor } },
      meta: { actor },
      name: 'CreateProgramme',
    });
    return { id: programmeId, revision: result.revision, position: result.position };
  }

  /**
   * 任务: registered as an issue of kind `task` naming the programme, then assigned. What would refuse the
   * assignment (a unit that does not exist, no deadline or two) is checked first, so a refused request leaves no
   * registered task behind.
   */
  async addTask(programmeId: string, task: AddProgrammeTaskRequestDto, caller: Caller) {
    const { state, revision } = await this.runner.load(programmeStream(programmeId), programmeDecider);
    if (revision < 0) throw new NotFound(`no programme ${programmeId}`);
    const { title, description, category, phase, source, ...assignment } = task;
    if ((assignment.deadline === undefined) === (assignment.deadlineWorkingDays === undefined))
      throw new InvalidCommand(
        'deadline',
        'give exactly one of deadline (an instant) and deadlineWorkingDays (a number of working days)',
      );
    await this.assertUnitsExist(assignment);
    const issueId = newAggregateId('issue');
    await this.issues.register(
      issueId,
      {
        source: source ?? TASK_SOURCE,
        category: category ?? state.name!,
        title,
        description: description ?? title,
        kind: 'task',
        programmeId,
        ...(phase !== undefined ? { phase } : {}),
      },
      { principal: caller.principal },
    );
    return this.issues.assign(issueId, assignment, { principal: caller.principal });
  }

  private async assertUnitsExist(units: { leadUnitId: string; coUnitIds?: string[]; responsibleUnitIds?: string[] }) {
    const named: [string, string][] = [
      ['leadUnitId', units.leadUnitId],
      ...(units.coUnitIds ?? []).map((id, i): [string, string] => [`coUnitIds[${i}]`, id]),
      ...(units.responsibleUnitIds ?? []).map((id, i): [string, string] => [`responsibleUnitIds[${i}]`, id]),
    ];
    for (const [field, unitId] of named) {
      const { state, revision } = await this.runner.load(unitStream(unitId), unitDecider);
      if (revision < 0) throw new InvalidCommand(field, `no unit ${unitId}`);
      if (state.status === 'deactivated') throw new InvalidCommand(field, `unit ${unitId} is deactivated`);
    }
  }
}
