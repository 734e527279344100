import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Principal } from '../../auth/principal';
import { AppraisalRepository } from '../appraisal.repository';

export interface AppraisalComments {
  items: { round: string; comment: string }[];
}

const OFFICE_ROLES = new Set(['registrar', 'admin', 'auditor']);

/**
 * What a unit's evaluators wrote, for the unit to rectify against (请对照评议意见): after publication only,
 * to the office and the unit's own officers. No evaluator, token or ballot is named, and the order is a hash
 * of the ballot id, so neither the order of voting nor who voted can be read from it.
 */
@Injectable()
export class AppraisalCommentsQuery {
  constructor(private readonly repository: AppraisalRepository) {}

  comments(campaignId: string, unitId: string, principal: Principal): AppraisalComments {
    const status = this.repository.status(campaignId);
    if (!status) throw new NotFoundException(`appraisal campaign ${campaignId} does not exist`);
    const office = principal.roles.some((r) => OFFICE_ROLES.has(r));
    if (!office && !(principal.roles.includes('unit_officer') && principal.unitId === unitId))
      throw new ForbiddenException("evaluators' comments are for the office and the unit's own officers");
    if (status !== 'published')
      throw new ConflictException("evaluators' comments are read after the results are published");
    const shuffled = this.repository
      .comments(campaignId, unitId)
      .map(({ ballotId, round, comment }) => ({ key: shuffleKey(ballotId), round, comment }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { items: shuffled.map(({ round, comment }) => ({ round, comment })) };
  }
}

const shuffleKey = (ballotId: string) => createHash('sha256').update(`comment-order|${ballotId}`).digest('hex');
