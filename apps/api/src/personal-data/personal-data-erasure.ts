import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CommandRunner } from '@duban/application';
import { IllegalTransition, issueDecider, isErasedReporter, isSealedReporter } from '@duban/domain';
import { issueStream } from '../application/streams';
import type { Caller } from '../http/caller';
import { IssueService } from '../issues/issue.service';
import { PersonalDataService } from './personal-data.service';

export interface ErasureAnswer {
  issueId: string;
  reporterId: string;
  keyId: string;
  revision: number;
  position: number;
}

/**
 * PIPL erasure by crypto-shredding: the `ReporterErased` event is appended to the issue (who, why, when,
 * which key — no personal data), then the reporter's data key is destroyed. The log keeps its ciphertext
 * and its hashes, so verification still passes; nothing can open it any more.
 */
@Injectable()
export class PersonalDataErasure {
  constructor(
    private readonly runner: CommandRunner,
    private readonly issues: IssueService,
    private readonly personalData: PersonalDataService,
  ) {}

  async erase(
    request: { issueId?: string; reporterId?: string; reason: string },
    caller: Caller,
  ): Promise<ErasureAnswer> {
    if ((request.issueId === undefined) === (request.reporterId === undefined))
      throw new BadRequestException('give exactly one of issueId and reporterId');
    const issueId = request.issueId ?? (await this.issueOfReporter(request.reporterId!));
    const { state, revision } = await this.runner.load(issueStream(issueId), issueDecider);
    if (revision < 0) throw new NotFoundException(`no issue ${issueId}`);
    const reporter = state.reporter;
    const target = isSealedReporter(reporter)
      ? { reporterId: reporter.reporterId, keyId: reporter.sealed.keyId }
      : isErasedReporter(reporter)
        ? { reporterId: reporter.reporterId, keyId: reporter.keyId }
        : { reporterId: request.reporterId ?? '-', keyId: '-' };
    try {
      const answer = await this.issues.execute(
        { type: 'EraseReporter', data: { issueId, ...target, reason: request.reason } },
        caller,
      );
      await this.personalData.vault.shred([target.keyId], new Date().toISOString());
      return { issueId, ...target, revision: answer.revision, position: answer.position };
    } catch (error) {
      // erased before, but the key outlived it (a crash between the event and the shredding): finish the job
      if (error instanceof IllegalTransition && isErasedReporter(reporter))
        await this.personalData.vault.shred([reporter.keyId], new Date().toISOString());
      throw error;
    }
  }

  private async issueOfReporter(reporterId: string): Promise<string> {
    const keys = await this.personalData.vault.find({ reporterId });
    if (keys.length === 0) throw new NotFoundException(`no reporter ${reporterId}`);
    return keys[0].issueId;
  }
}
