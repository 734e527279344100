import { ForbiddenException, Inject, Logger as NestLogger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AlreadyExists,
  appraisalDecider,
  AppraisalCommand,
  DomainError,
  ResultsPublished,
  TalliedBallot,
} from '@duban/domain';
import { deterministicUuid, EVENT_STORE, EventStore } from '@duban/event-store';
import type { Principal } from '../../auth/principal';
import { CommandExecutor } from '../../application/command-executor';
import { actorOf } from '../../application/principal-actor';
import { appraisalStream, CommandAnswer } from '../../application/streams';
import { ReadModelService } from '../../read-model/read-model.service';
import { ExecuteIssueCommand } from '../../issues/commands/execute-issue-command';
import { fieldError } from '../../http/validation';

export type AppraisalCommandType =
  'CreateCampaign' | 'RegisterEvaluator' | 'IssueBallotTokens' | 'OpenRound' | 'CloseRound' | 'PublishResults';

export class ExecuteAppraisalCommand extends Command<CommandAnswer & { tokens?: string[]; issueIds?: string[] }> {
  constructor(
    readonly campaignId: string,
    readonly type: AppraisalCommandType,
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Working days a unit gets to rectify what a low appraisal score found. */
export const APPRAISAL_RECTIFICATION_WORKING_DAYS = 30;

export const appraisalIssueId = (campaignId: string, unitId: string) =>
  deterministicUuid(`appraisal-issue|${campaignId}|${unitId}`);
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Campaign commands: resolves what needs the outside world (unit codes from the directory, fresh random
 * tokens, the counted ballots from the log) and lets the pure decider decide. Publishing then opens a
 * rectification issue (registered and assigned to the unit) for each ranked unit under the threshold.
 */
@CommandHandler(ExecuteAppraisalCommand)
export class ExecuteAppraisalCommandHandler implements ICommandHandler<ExecuteAppraisalCommand> {
  private readonly log = new NestLogger('Appraisals');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly readModel: ReadModelService,
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ campaignId, type, data, principal }: ExecuteAppraisalCommand) {
    const at = new Date().toISOString();
    let tokens: string[] | undefined;
    let payload: Record<string, unknown> = data;
    if (type === 'CreateCampaign') payload = this.definition(data);
    if (type === 'IssueBallotTokens') {
      // shown once: only their hashes are recorded, and nothing about who receives them
      tokens = Array.from({ length: data.count as number }, () => randomBytes(24).toString('base64url'));
      payload = { group: data.group, batchId: randomUUID(), tokenHashes: tokens.map(hashToken) };
    }
    if (type === 'PublishResults') payload = await this.tally(campaignId);
    const command = {
      type,
      data: { campaignId, ...payload },
      meta: { at, actor: actorOf(principal) },
    } as AppraisalCommand;
    let result;
    try {
      result = await this.executor.execute({
        streamId: appraisalStream(campaignId),
        decider: appraisalDecider,
        command,
        meta: { actor: actorOf(principal) },
        name: type,
      });
    } catch (error) {
      // a publish that was interrupted before its issues were opened opens them when asked again
      if (type === 'PublishResults' && error instanceof DomainError && /results are published/.test(error.message)) {
        const { state, revision, events } = await this.executor.load(appraisalStream(campaignId), appraisalDecider);
        const opened = await this.openIssues(state.results!, principal);
        if (opened.ids.length)
          return {
            id: campaignId,
            revision,
            position: Math.max(events[events.length - 1].position, opened.position),
            issueIds: state.results!.issues.map((i) => i.issueId),
          };
      }
      throw error;
    }
    const answer = { id: campaignId, revision: result.revision, position: result.position };
    if (type === 'PublishResults') {
      const published = result.state.results!;
      const last = await this.openIssues(published, principal);
      // the answer's position covers the issues too: read-your-writes for the whole publication
      return {
        ...answer,
        position: Math.max(answer.position, last.position),
        issueIds: published.issues.map((i) => i.issueId),
      };
    }
    return tokens ? { ...answer, tokens } : answer;
  }

  private definition(data: Record<string, unknown>): Record<string, unknown> {
    const unitIds = data.unitIds as string[];
    const rows = this.readModel.db
      .prepare(`SELECT id, code, status FROM units WHERE id IN (${unitIds.map(() => '?').join(',')})`)
      .all(...unitIds) as { id: string; code: string; status: string }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    unitIds.forEach((id, i) => {
      if (!byId.has(id)) throw fieldError(`unitIds[${i}]`, `unit ${id} does not exist`);
    });
    if ((data.bottomN === undefined) === (data.bottomShare === undefined))
      throw fieldError(
        'bottomN',
        'give exactly one of bottomN (a count) and bottomShare (a share of the ranked units)',
      );
    const { unitIds: _u, bottomN, bottomShare, ...rest } = data;
    return {
      ...rest,
      units: unitIds.map((id) => ({ unitId: id, code: byId.get(id)!.code })),
      exemptUnitIds: data.exemptUnitIds ?? [],
      bottom: bottomN !== undefined ? { count: bottomN } : { share: bottomShare },
      lowScoreThreshold: data.lowScoreThreshold ?? null,
    };
  }

  /** The ballots that count: committed before their round closed, as the log orders them. */
  private async tally(campaignId: string): Promise<{ ballots: TalliedBallot[]; issueIdFor: Record<string, string> }> {
    await this.readModel.ensure(await this.store.headPosition());
    const rows = this.readModel.db
      .prepare(
        `SELECT b.ballot_id AS ballotId, b.round, b.unit_id AS unitId, b.grp AS "group", b.scores FROM appraisal_ballots b
         JOIN appraisal_rounds r ON r.campaign_id = b.campaign_id AND r.round = b.round
         WHERE b.campaign_id = ? AND r.closed_position IS NOT NULL AND b.position < r.closed_position`,
      )
      .all(campaignId) as (Omit<TalliedBallot, 'scores'> & { scores: string })[];
    const campaign = this.readModel.db
      .prepare('SELECT definition FROM appraisal_campaigns WHERE id = ?')
      .get(campaignId) as { definition: string } | undefined;
    const units = campaign ? (JSON.parse(campaign.definition).units as { unitId: string }[]) : [];
    return {
      ballots: rows.map((r) => ({ ...r, scores: JSON.parse(r.scores) })),
      issueIdFor: Object.fromEntries(units.map((u) => [u.unitId, appraisalIssueId(campaignId, u.unitId)])),
    };
  }

  /** Registers and assigns each low-score issue; ids are deterministic, so asking again opens only what is missing. */
  private async openIssues(
    results: ResultsPublished['data'],
    principal: Principal,
  ): Promise<{ ids: string[]; position: number }> {
    const opened: string[] = [];
    let position = 0;
    const campaign = this.readModel.db
      .prepare('SELECT name, definition FROM appraisal_campaigns WHERE id = ?')
      .get(results.campaignId) as { name: string; definition: string } | undefined;
    const threshold = campaign ? JSON.parse(campaign.definition).lowScoreThreshold : null;
    for (const { unitId, issueId, score } of results.issues) {
      const code = results.items.find((i) => i.unitId === unitId)?.code ?? unitId;
      let registered: CommandAnswer;
      try {
        registered = await this.commands.execute(
          new ExecuteIssueCommand(
            issueId,
            'RegisterIssue',
            {
              source: 'public_appraisal',
              category: '民主评议',
              title: `${campaign?.name ?? '民主评议'}：${code} 得分 ${score.toFixed(2)} 低于 ${threshold}`,
              description: `民主评议得分低于整改线 (appraisal score ${score.toFixed(2)} is under the threshold ${threshold}); 请对照评议意见限期整改。`,
              origin: { kind: 'appraisal', campaignId: results.campaignId, unitId, score },
            },
            principal,
          ),
        );
      } catch (error) {
        if (!(error instanceof AlreadyExists)) throw error;
        continue;
      }
      opened.push(issueId);
      position = Math.max(position, registered.position);
      try {
        const head = this.readModel.db.prepare('SELECT head FROM units WHERE id = ?').get(unitId) as
          { head: string | null } | undefined;
        const responsible = head?.head ? JSON.parse(head.head) : { name: '单位主要负责人' };
        const assigned: CommandAnswer = await this.commands.execute(
          new ExecuteIssueCommand(
            issueId,
            'AssignIssue',
            {
              leadUnitId: unitId,
              responsiblePerson: responsible,
              deadlineWorkingDays: APPRAISAL_RECTIFICATION_WORKING_DAYS,
              mode: 'leader',
            },
            principal,
          ),
        );
        position = Math.max(position, assigned.position);
      } catch (error) {
        // e.g. the unit was deactivated since: the issue stays registered for a registrar to assign
        this.log.warn(`appraisal issue ${issueId} registered but not assigned: ${(error as Error).message}`);
      }
    }
    return { ids: opened, position };
  }
}

export function assertRegistrar(principal: Principal): void {
  if (!principal.roles.some((r) => r === 'registrar' || r === 'admin'))
    throw new ForbiddenException('registrars run appraisal campaigns');
}
