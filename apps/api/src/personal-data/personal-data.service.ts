import { ConflictException, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import {
  keyIdsOf,
  PersonalDataVault,
  SealBroken,
  type DataKeys,
  type PersonalFields,
  type RevealedReporter,
} from '@duban/application/personal-data';
import { isErasedReporter, type Reporter, type SealedReporter } from '@duban/domain';
import { primaryRole, type Principal } from '../auth/principal';
import { hidesReporter } from '../issues/issue-access';

export const PERSONAL_DATA_VAULT = Symbol('PERSONAL_DATA_VAULT');

/** A reporter as the API shows it: the fields; `{confidential}` when withheld from the caller; `{erased: true}` after erasure. */
export type ShownReporter =
  | RevealedReporter
  | { confidential: boolean }
  | { confidential: boolean; erased: true }
  | { confidential: boolean; unavailable: true };

/** Renders reporters synchronously; `flush()` awaits the access-log records of what it showed. */
export type Shower = ((issueId: string, reporter: Reporter | null | undefined) => ShownReporter | null) & {
  flush(): Promise<void>;
};

/** What the register body gives: the personal fields in clear (sealed here, before the command). */
export type ReporterInput = PersonalFields & { confidential?: boolean };

/** Which read showed a confidential identity (the access log's `purpose`). */
export type PersonalDataPurpose = 'issue' | 'history' | 'list' | 'ledger' | 'stream';

/**
 * Reporters' personal data in the API: sealed before the register command (the decider sees ciphertext),
 * revealed at render time to those who may see it, each look at a confidential identity recorded.
 */
@Injectable()
export class PersonalDataService implements OnModuleDestroy {
  constructor(@Inject(PERSONAL_DATA_VAULT) readonly vault: PersonalDataVault) {}

  async onModuleDestroy(): Promise<void> {
    await this.vault.close();
  }

  async seal(issueId: string, input: ReporterInput, at: string): Promise<SealedReporter> {
    const { confidential, ...fields } = input;
    const sealed = await this.vault.sealReporter(issueId, fields, at);
    return { ...sealed, ...(confidential !== undefined ? { confidential } : {}) };
  }

  /** Registration refused after sealing: the fresh key held nothing that was recorded; it goes. */
  async discard(reporter: SealedReporter | undefined, at: string): Promise<void> {
    if (reporter) await this.vault.shred([reporter.sealed.keyId], at);
  }

  /** One issue's reporter as `principal` may read it. */
  async show(
    issueId: string,
    reporter: Reporter | null | undefined,
    principal: Principal,
    purpose: PersonalDataPurpose,
  ): Promise<ShownReporter | null> {
    const shower = await this.shower([reporter], principal, purpose);
    const shown = shower(issueId, reporter);
    await shower.flush();
    return shown;
  }

  /**
   * A synchronous renderer for many reporters (ledgers stream synchronously): their data keys are unwrapped
   * up front. Every confidential identity it shows is recorded in the access log (who, when, which issue).
   */
  async shower(
    reporters: Iterable<Reporter | null | undefined>,
    principal: Principal,
    purpose: PersonalDataPurpose,
  ): Promise<Shower> {
    const visible = [...reporters].filter((r) => r && !hidesReporter(principal, r) && !isErasedReporter(r));
    const keys = await this.dataKeys(keyIdsOf(visible));
    const recorded = new Set<string>();
    // the access log's writes; `flush` awaits them (a failed write fails the read that showed the identity)
    const pending: Promise<void>[] = [];
    const show = (issueId: string, reporter: Reporter | null | undefined): ShownReporter | null => {
      if (!reporter) return null;
      const confidential = reporter.confidential === true;
      if (isErasedReporter(reporter)) return { confidential, erased: true };
      if (hidesReporter(principal, reporter)) return { confidential };
      const shown = this.reveal(issueId, reporter, keys);
      if (confidential && 'name' in shown && !recorded.has(issueId)) {
        recorded.add(issueId);
        const at = new Date().toISOString();
        const entry = { at, actorId: principal.id, actorRole: primaryRole(principal), issueId, purpose };
        pending.push(this.vault.keys.recordAccess([{ ...entry, reporterId: shown.reporterId ?? null }]));
      }
      return shown;
    };
    return Object.assign(show, { flush: () => Promise.all(pending.splice(0)).then(() => undefined) });
  }

  private reveal(issueId: string, reporter: Reporter, keys: DataKeys): ShownReporter {
    try {
      const shown = this.vault.revealWith(reporter, keys);
      return 'erased' in shown ? { confidential: shown.confidential, erased: true } : shown;
    } catch (error) {
      if (error instanceof SealBroken)
        throw new ConflictException(
          `the sealed reporter of issue ${issueId} does not authenticate (${error.message}); GET /audit/verify locates altered events`,
        );
      throw error;
    }
  }

  private async dataKeys(keyIds: string[]): Promise<DataKeys> {
    try {
      return await this.vault.dataKeys(keyIds);
    } catch (error) {
      if (error instanceof SealBroken)
        throw new ConflictException(`a personal data key does not authenticate: ${error.message}`);
      throw error;
    }
  }
}
