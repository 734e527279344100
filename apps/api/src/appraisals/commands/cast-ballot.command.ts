import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ballotDecider, CastBallot as CastBallotDomainCommand } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import type { Principal } from '../../auth/principal';
import { CommandExecutor } from '../../application/command-executor';
import { actorOf } from '../../application/principal-actor';
import type { CommandAnswer } from '../../application/streams';
import { CampaignStates } from '../campaign-states';
import { hashToken } from './execute-appraisal-command';

export class CastBallotCommand extends Command<CommandAnswer & { ballotId: string }> {
  constructor(
    readonly campaignId: string,
    readonly body: { round: string; unitId: string; scores: Record<string, number>; comment?: string; token?: string },
    /** null: an anonymous voter with a ballot token */
    readonly principal: Principal | null,
  ) {
    super();
  }
}

/** The actor recorded on an anonymous ballot: no person, only that it came with a token. */
const ANONYMOUS = { id: 'anonymous', role: 'public' };

/**
 * A ballot: an anonymous token (its hash must be one the campaign issued) or a named evaluator's JWT.
 * Its stream id derives from (campaign, round, evaluator, unit): a second ballot from the same evaluator
 * for the same unit and round is a second append to that stream, refused as it races or after.
 */
@CommandHandler(CastBallotCommand)
export class CastBallotHandler implements ICommandHandler<CastBallotCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly campaigns: CampaignStates,
  ) {}

  async execute({ campaignId, body, principal }: CastBallotCommand) {
    const { state: campaign } = await this.campaigns.get(campaignId);
    let evaluatorKey: string;
    let group: string | undefined;
    if (body.token) {
      const hash = hashToken(body.token);
      group = campaign.tokens[hash];
      if (!group) throw new UnauthorizedException('this ballot token was not issued for this campaign');
      evaluatorKey = `token:${hash}`;
    } else {
      if (!principal) throw new UnauthorizedException("a ballot needs a ballot token or an evaluator's bearer token");
      group = campaign.evaluators[principal.id];
      if (!group) throw new ForbiddenException('you are not a registered evaluator of this campaign');
      evaluatorKey = `user:${principal.id}`;
    }
    const ballotId = deterministicUuid(`ballot|${campaignId}|${body.round}|${evaluatorKey}|${body.unitId}`);
    const actor = principal && !body.token ? actorOf(principal) : ANONYMOUS;
    const command: CastBallotDomainCommand = {
      type: 'CastBallot',
      data: {
        ballotId,
        campaignId,
        round: body.round,
        unitId: body.unitId,
        evaluatorKey,
        group,
        scores: body.scores,
        comment: body.comment ?? null,
        campaign,
      },
      meta: { at: new Date().toISOString(), actor },
    };
    const result = await this.executor.execute({
      streamId: `ballot-${ballotId}`,
      decider: ballotDecider,
      command,
      meta: { actor },
      name: 'CastBallot',
    });
    return { id: campaignId, ballotId, revision: result.revision, position: result.position };
  }
}
