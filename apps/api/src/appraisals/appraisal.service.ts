import { ForbiddenException, Inject, Injectable, Logger as NestLogger, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CommandRunner, newAggregateId } from '@duban/application';
import {
  AlreadyExists,
  AppraisalCommand,
  appraisalDecider,
  ballotDecider,
  CreateCampaign,
  IllegalTransition,
  InvalidCommand,
  APPRAISAL_DEFAULTS,
  issueDecider,
  RankedUnit,
  RectificationIssue,
  ResultsPublished,
} from '@duban/domain';
import { deterministicUuid, EVENT_STORE, EventStore } from '@duban/event-store';
import type { Principal } from '../auth/principal';
import { CommandAnswer, CommandInput, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import { appraisalStream, issueStream } from '../application/streams';
import type { Caller } from '../http/caller';
import { ReadModelService } from '../read-model/read-model.service';
import { IssueService } from '../issues/issue.service';
import { AppraisalRepository } from './appraisal.repository';
import { CampaignStates } from './campaign-states';

export const appraisalIssueId = (campaignId: string, unitId: string) =>
  deterministicUuid(`appraisal-issue|${campaignId}|${unitId}`);
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The actor recorded on an anonymous ballot: no person, only that it came with a token. */
const ANONYMOUS = { id: 'anonymous', role: 'public' };

/** A campaign as the caller defines it: units by id (their codes come from the directory), the bottom rule as a count or a share. */
export type CampaignRequest = Omit<
  CreateCampaign['data'],
  'campaignId' | 'units' | 'bottom' | 'exemptUnitIds' | 'lowScoreThreshold' | 'exemptFrom'
> & {
  /** unit campaigns: the units ranked; person campaigns: optional, the people's units are taken from `targets` */
  unitIds?: string[];
  exemptUnitIds?: string[];
  bottomN?: number;
  bottomShare?: number;
  lowScoreThreshold?: number;
  exemptFrom?: { campaignId: string; top: number };
};

export interface BallotRequest {
  round: string;
  unitId?: string;
  targetId?: string;
  scores: Record<string, number>;
  comment?: string;
  token?: string;
}

type AppraisalCommandInput = CommandInput<AppraisalCommand>;

/**
 * 民主评议's use cases and their I/O: unit codes from the directory, fresh random tokens, the counted ballots
 * from the read model. Publishing then opens a rectification issue (registered and assigned to the unit) for
 * each unit the decider named (bottom N, under the threshold) and records the bottom units' loss of honours.
 */
@Injectable()
export class AppraisalService {
  private readonly log = new NestLogger('Appraisals');

  constructor(
    private readonly runner: CommandRunner,
    private readonly repository: AppraisalRepository,
    private readonly readModel: ReadModelService,
    private readonly campaigns: CampaignStates,
    private readonly issues: IssueService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async create(request: CampaignRequest, caller: Caller): Promise<CommandAnswer> {
    const { bottomN, bottomShare, exemptUnitIds, lowScoreThreshold, exemptFrom, ...rest } = request;
    const unitIds = this.participatingUnits(request);
    const codes = this.repository.unitCodes(unitIds);
    (request.unitIds ?? []).forEach((id, i) => {
      if (!codes.has(id)) throw new InvalidCommand(`unitIds[${i}]`, `unit ${id} does not exist`);
    });
    (request.targets ?? []).forEach((t, i) => {
      if (!codes.has(t.unitId)) throw new InvalidCommand(`targets[${i}].unitId`, `unit ${t.unitId} does not exist`);
    });
    if ((bottomN === undefined) === (bottomShare === undefined))
      throw new InvalidCommand(
        'bottomN',
        'give exactly one of bottomN (a count) and bottomShare (a share of the ranked units)',
      );
    const data = {
      ...rest,
      campaignId: newAggregateId('campaign'),
      units: unitIds.map((unitId) => ({ unitId, code: codes.get(unitId)! })),
      exemptUnitIds: exemptUnitIds ?? [],
      bottom: bottomN !== undefined ? { count: bottomN } : { share: bottomShare! },
      lowScoreThreshold: lowScoreThreshold ?? null,
      exemptFrom: exemptFrom && { ...exemptFrom, earlier: await this.earlierCampaign(exemptFrom.campaignId) },
    };
    return this.execute({ type: 'CreateCampaign', data }, caller);
  }

  /** Unit campaigns: the units named; person campaigns: the units named (if any) and each person's unit, once. */
  private participatingUnits(request: CampaignRequest): string[] {
    if ((request.targetKind ?? 'unit') === 'unit') {
      if (!request.unitIds?.length)
        throw new InvalidCommand('unitIds', 'a campaign of units names at least one unit in unitIds');
      return request.unitIds;
    }
    if (!request.targets?.length)
      throw new InvalidCommand('targets', 'a campaign of people (targetKind "person") names its people in targets');
    return [...new Set([...(request.unitIds ?? []), ...request.targets.map((t) => t.unitId)])];
  }

  /** What an earned exemption is earned from: the earlier campaign as the read model has it (caught up first). */
  private async earlierCampaign(campaignId: string) {
    await this.readModel.ensure(await this.store.headPosition());
    const earlier = this.repository.campaign(campaignId);
    const results = earlier && this.repository.publishedResults(campaignId);
    return {
      campaignId,
      exists: earlier !== undefined,
      published: results !== null && results !== undefined,
      targetKind: earlier?.definition.targetKind ?? ('unit' as const),
      ranking: [...(results?.items ?? [])].sort((a, b) => a.rank - b.rank).map((i) => i.targetId ?? i.unitId),
    };
  }

  /** Anonymous tokens are shown once: only their hashes are recorded, and nothing about who receives them. */
  async issueTokens(campaignId: string, group: string, count: number, caller: Caller) {
    const tokens = Array.from({ length: count }, () => randomBytes(24).toString('base64url'));
    const data = { campaignId, group, batchId: randomUUID(), tokenHashes: tokens.map(hashToken) };
    return { ...(await this.execute({ type: 'IssueBallotTokens', data }, caller)), tokens };
  }

  /** Ranks what the closed rounds counted; a publish interrupted before its issues were opened opens them when asked again. */
  async publish(campaignId: string, caller: Caller): Promise<CommandAnswer & { issueIds: string[] }> {
    await this.readModel.ensure(await this.store.headPosition());
    const definition = this.repository.campaign(campaignId)?.definition;
    const targetIds =
      definition?.targetKind === 'person'
        ? definition.targets.map((t) => t.id)
        : (definition?.units ?? []).map((u) => u.unitId);
    const issueIdFor = Object.fromEntries(targetIds.map((id) => [id, appraisalIssueId(campaignId, id)]));
    const ballots = this.repository.countedBallots(campaignId);
    let answer: CommandAnswer;
    try {
      answer = await this.execute({ type: 'PublishResults', data: { campaignId, ballots, issueIdFor } }, caller);
    } catch (error) {
      if (!(error instanceof IllegalTransition && error.state === 'published')) throw error;
      const { state, revision, events } = await this.runner.load(appraisalStream(campaignId), appraisalDecider);
      const position = await this.openIssues(state.results!, caller);
      if (position === 0) throw error;
      return {
        id: campaignId,
        revision,
        position: Math.max(events[events.length - 1].position, position),
        issueIds: state.results!.issues.map((i) => i.issueId),
      };
    }
    const { state } = await this.runner.load(appraisalStream(campaignId), appraisalDecider);
    const published = state.results!;
    const position = await this.openIssues(published, caller);
    // the answer's position covers the issues too: read-your-writes for the whole publication
    return {
      ...answer,
      position: Math.max(answer.position, position),
      issueIds: published.issues.map((i) => i.issueId),
    };
  }

  /** A ballot: an anonymous token (its hash must be one the campaign issued) or a named evaluator's JWT. */
  async castBallot(campaignId: string, ballot: BallotRequest, principal: Principal | null) {
    const { state: campaign } = await this.campaigns.get(campaignId);
    const { evaluatorKey, group } = this.evaluator(campaign, ballot.token, principal);
    // one stream per (campaign, round, evaluator, target): a second ballot is a second append, refused
    const target = ballot.targetId ?? ballot.unitId ?? '';
    const ballotId = deterministicUuid(`ballot|${campaignId}|${ballot.round}|${evaluatorKey}|${target}`);
    const actor = principal && !ballot.token ? actorOf(principal) : ANONYMOUS;
    const { round, unitId, targetId, scores } = ballot;
    const data = {
      ballotId,
      campaignId,
      round,
      unitId,
      targetId,
      evaluatorKey,
      group,
      scores,
      comment: ballot.comment ?? null,
      campaign,
    };
    const result = await this.runner.execute({
      streamId: `ballot-${ballotId}`,
      decider: ballotDecider,
      command: { type: 'CastBallot', data, meta: { at: now(), actor } },
      // a first ballot's stream does not exist, and the append expects none: a second ballot (or a retry) is
      // refused there, and the runner then reads the stream and decides again (refused, or the first outcome)
      loaded: { state: ballotDecider.initialState(), revision: -1, events: [] },
      meta: { actor },
      name: 'CastBallot',
    });
    return { id: campaignId, ballotId, revision: result.revision, position: result.position };
  }

  async execute(command: AppraisalCommandInput, caller: Caller): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner
      .execute({
        streamId: appraisalStream(command.data.campaignId),
        decider: appraisalDecider,
        command: { ...command, meta: { at: now(), actor } },
        ifMatch: caller.ifMatch,
        meta: { actor },
        name: command.type,
      })
      // a round closed (or tokens issued) here: no ballot after this decides on a read from before it
      .finally(() => this.campaigns.changed(command.data.campaignId));
    return { id: command.data.campaignId, revision: result.revision, position: result.position };
  }

  private evaluator(
    campaign: Awaited<ReturnType<CampaignStates['get']>>['state'],
    token: string | undefined,
    principal: Principal | null,
  ): { evaluatorKey: string; group: string } {
    if (token) {
      const hash = hashToken(token);
      const group = campaign.tokens[hash];
      if (!group) throw new UnauthorizedException('this ballot token was not issued for this campaign');
      return { evaluatorKey: `token:${hash}`, group };
    }
    if (!principal) throw new UnauthorizedException("a ballot needs a ballot token or an evaluator's bearer token");
    const group = campaign.evaluators[principal.id];
    if (!group) throw new ForbiddenException('you are not a registered evaluator of this campaign');
    return { evaluatorKey: `user:${principal.id}`, group };
  }

  /**
   * Registers and assigns each rectification issue, and records a bottom unit's loss of the year's honours on
   * it; ids are deterministic and the record is looked for first, so asking again does only what is missing.
   */
  private async openIssues(results: ResultsPublished['data'], caller: Caller): Promise<number> {
    let position = 0;
    const campaign = this.repository.campaign(results.campaignId);
    const name = campaign?.name ?? '民主评议';
    const year = campaign?.definition.year ?? new Date(results.at).getFullYear();
    const threshold = campaign?.definition.lowScoreThreshold ?? null;
    const workingDays = campaign?.definition.rectificationWorkingDays ?? APPRAISAL_DEFAULTS.rectificationWorkingDays;
    for (const issue of results.issues) {
      const targetOf = (x: { unitId: string; targetId?: string }) => x.targetId ?? x.unitId;
      const item = results.items.find((i) => targetOf(i) === targetOf(issue));
      const registration = rectificationIssue({ id: results.campaignId, name, threshold }, issue, item);
      try {
        position = Math.max(position, (await this.issues.register(issue.issueId, registration, caller)).position);
        position = Math.max(position, await this.assignToUnit(issue.issueId, issue.unitId, workingDays, caller));
      } catch (error) {
        if (!(error instanceof AlreadyExists)) throw error;
      }
      if (item?.honoursDisqualified)
        position = Math.max(position, await this.disqualifyFromHonours(issue.issueId, item, year, caller));
    }
    return position;
  }

  /**
   * 取消当年评优提拔资格, recorded once on the rectification issue of the unit or person (looked for before
   * recording); a person is named with their unit.
   */
  private async disqualifyFromHonours(
    issueId: string,
    item: RankedUnit,
    year: number,
    caller: Caller,
  ): Promise<number> {
    const { state } = await this.runner.load(issueStream(issueId), issueDecider);
    if (state.accountability.some((a) => a.measure === 'honours_disqualification')) return 0;
    const { unitId } = item;
    const who = item.targetId ? `${item.name ?? item.targetId}${item.title ? `（${item.title}）` : ''}` : null;
    const named = who ?? this.repository.unitName(unitId) ?? unitId;
    const target = who
      ? { kind: 'person' as const, name: item.name ?? item.targetId!, unitId }
      : { kind: 'unit' as const, unitId };
    try {
      const answer = await this.issues.recordAccountability(
        issueId,
        {
          measure: 'honours_disqualification',
          target,
          reason: `${named}：排名靠后，取消${year}年度评优提拔资格`,
        },
        caller,
      );
      return answer.position;
    } catch (error) {
      // e.g. the issue could not be assigned: a registrar assigns it, then records the measure by hand
      this.log.warn(`honours disqualification not recorded on ${issueId}: ${(error as Error).message}`);
      return 0;
    }
  }

  private async assignToUnit(issueId: string, unitId: string, workingDays: number, caller: Caller): Promise<number> {
    try {
      const responsiblePerson = this.repository.unitHead(unitId) ?? { name: '单位主要负责人' };
      const assignment = { leadUnitId: unitId, responsiblePerson, mode: 'leader' as const };
      const answer = await this.issues.assign(issueId, { ...assignment, deadlineWorkingDays: workingDays }, caller);
      return answer.position;
    } catch (error) {
      // e.g. the unit was deactivated since: the issue stays registered for a registrar to assign
      this.log.warn(`appraisal issue ${issueId} registered but not assigned: ${(error as Error).message}`);
      return 0;
    }
  }
}

/** What an auto-opened issue says: why the unit is on it (bottom N, under the threshold, or both). */
function rectificationIssue(
  campaign: { id: string; name: string; threshold: number | null },
  issue: RectificationIssue,
  item: RankedUnit | undefined,
) {
  const { unitId, score } = issue;
  // issues recorded before the bottom N had any were all for a low score
  const lowScore = issue.lowScore ?? true;
  const shown = score.toFixed(2);
  const why = lowScore ? `得分 ${shown} 低于 ${campaign.threshold}` : `排名靠后 (第 ${item?.rank} 名，得分 ${shown})`;
  const who = issue.targetId ? `${item?.name ?? issue.targetId}${item?.title ? `（${item.title}）` : ''}` : null;
  const explanation = lowScore
    ? `民主评议得分低于整改线 (appraisal score ${shown} is under the threshold ${campaign.threshold})`
    : `民主评议排名靠后 (ranked in the bottom N, score ${shown})`;
  return {
    source: 'public_appraisal' as const,
    category: '民主评议',
    title: `${campaign.name}：${who ?? item?.code ?? unitId} ${why}`,
    description: `${explanation}; 请对照评议意见限期整改。`,
    origin: {
      kind: 'appraisal',
      campaignId: campaign.id,
      unitId,
      ...(issue.targetId ? { targetId: issue.targetId } : {}),
      score,
    },
  };
}
