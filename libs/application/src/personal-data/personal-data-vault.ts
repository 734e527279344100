import { randomUUID } from 'node:crypto';
import { ConfigError } from '@duban/config';
import { isErasedReporter, isSealedReporter, type Reporter, type SealedReporter } from '@duban/domain';
import {
  canary,
  canaryOpens,
  isSealedValue,
  keyCheckValue,
  keyEncryptionKey,
  newDataKey,
  open,
  seal,
  unwrapDataKey,
  wrapDataKey,
  type SealedValue,
} from './envelope';
import type { DataKeyRecord, PersonalDataKeys } from './personal-data-keys.port';

/**
 * The register fields that are personal data (PIPL) and are sealed: the reporter's name, phone, other
 * contact (address, e-mail, WeChat …) and id number (身份证号). Everything else on an issue is the matter
 * itself and stays readable (and searchable) to those who may read the issue.
 */
export interface PersonalFields {
  name: string;
  phone?: string;
  contact?: string;
  idNumber?: string;
}

/** A reporter as a reader may get it: the fields, or that they were erased, or that this installation lacks the key. */
export type RevealedReporter =
  | (PersonalFields & { reporterId?: string; confidential: boolean })
  | { reporterId: string; confidential: boolean; erased: true }
  | { reporterId: string; confidential: boolean; unavailable: true };

/** Unwrapped data keys by key id; `shredded` for an erased one. */
export type DataKeys = Map<string, Buffer | 'shredded'>;

/** The data key ids of sealed reporters. */
export function keyIdsOf(reporters: Iterable<Reporter | null | undefined>): string[] {
  const ids: string[] = [];
  for (const r of reporters) if (isSealedReporter(r) && isSealedValue(r.sealed)) ids.push(r.sealed.keyId);
  return ids;
}

/**
 * Envelope encryption of reporters' personal data: one data key per reporter, wrapped by the master key
 * (`PERSONAL_DATA_KEY`) in the key table (a port: SQLite beside the event store). The service seals before
 * the command; readers reveal at render time; erasure shreds the key.
 */
export class PersonalDataVault {
  private constructor(
    readonly keys: PersonalDataKeys,
    private readonly kek: Buffer,
  ) {}

  /**
   * Opens the key table with the master key. A master key other than the one that wrapped the keys is refused
   * (its canary does not open) with one line naming the variable — never a silent decryption of garbage.
   */
  static async open(keys: PersonalDataKeys, masterKey: Buffer): Promise<PersonalDataVault> {
    const kek = keyEncryptionKey(masterKey);
    const check =
      (await keys.keyCheck()) ?? (await keys.initKeyCheck({ kcv: keyCheckValue(kek), canary: canary(kek) }));
    if (!canaryOpens(kek, check.canary))
      throw new ConfigError(
        'PERSONAL_DATA_KEY',
        `is not the master key that wrapped the personal data keys in ${keys.location} (their key check value ${check.kcv}, this key's ${keyCheckValue(kek)}); start with that key (after a rotation: the new one)`,
      );
    return new PersonalDataVault(keys, kek);
  }

  /**
   * Master key rotation without touching the log: every live data key unwrapped with the old master key and
   * wrapped with the new one, and the key check replaced, in one transaction. Answers how many keys.
   */
  static async rotate(keys: PersonalDataKeys, oldMasterKey: Buffer, newMasterKey: Buffer): Promise<number> {
    const old = await PersonalDataVault.open(keys, oldMasterKey);
    const kek = keyEncryptionKey(newMasterKey);
    return keys.rewrapAll((r) => wrapDataKey(kek, unwrapDataKey(old.kek, r.wrappedKey, r.keyId), r.keyId), {
      kcv: keyCheckValue(kek),
      canary: canary(kek),
    });
  }

  get keyCheckValue(): string {
    return keyCheckValue(this.kek);
  }

  /** A new reporter of `issueId`: a new data key, stored wrapped, and their fields sealed under it. */
  async sealReporter(
    issueId: string,
    fields: PersonalFields,
    at: string,
  ): Promise<Omit<SealedReporter, 'confidential'>> {
    const reporterId = randomUUID();
    const keyId = randomUUID();
    const dataKey = newDataKey();
    await this.keys.insert({
      keyId,
      reporterId,
      issueId,
      wrappedKey: wrapDataKey(this.kek, dataKey, keyId),
      createdAt: at,
    });
    const clean: PersonalFields = {
      name: fields.name,
      ...(fields.phone !== undefined ? { phone: fields.phone } : {}),
      ...(fields.contact !== undefined ? { contact: fields.contact } : {}),
      ...(fields.idNumber !== undefined ? { idNumber: fields.idNumber } : {}),
    };
    return { reporterId, sealed: seal(dataKey, keyId, clean) };
  }

  /**
   * The data keys of `keyIds`, unwrapped: a key, or `shredded` (erased), or absent from the map when this
   * installation does not hold it (a log imported without its key table). Throws SealBroken on an altered key.
   */
  async dataKeys(keyIds: Iterable<string>): Promise<DataKeys> {
    const keys: DataKeys = new Map();
    for (const keyId of new Set(keyIds)) {
      const record = await this.keys.get(keyId);
      if (!record) continue;
      keys.set(keyId, record.wrappedKey === null ? 'shredded' : unwrapDataKey(this.kek, record.wrappedKey, keyId));
    }
    return keys;
  }

  /** A reporter as stored (sealed, erased or an old plain one) as it reads now, its data key from `keys`. */
  revealWith(reporter: Reporter, keys: DataKeys): RevealedReporter {
    const confidential = reporter.confidential === true;
    if (isErasedReporter(reporter)) return { reporterId: reporter.reporterId, confidential, erased: true };
    if (!isSealedReporter(reporter)) return { ...(reporter as PersonalFields), confidential };
    const reporterId = reporter.reporterId;
    const key = isSealedValue(reporter.sealed) ? keys.get(reporter.sealed.keyId) : undefined;
    if (key === undefined) return { reporterId, confidential, unavailable: true };
    if (key === 'shredded') return { reporterId, confidential, erased: true };
    return { reporterId, ...open<PersonalFields>(key, reporter.sealed as SealedValue), confidential };
  }

  async reveal(reporter: Reporter): Promise<RevealedReporter> {
    return this.revealWith(reporter, await this.dataKeys(keyIdsOf([reporter])));
  }

  find(by: { reporterId: string } | { issueId: string }): Promise<DataKeyRecord[]> {
    return this.keys.find(by);
  }

  /** Crypto-shredding: the wrapped keys are destroyed; whatever was sealed under them is unreadable for good. */
  shred(keyIds: string[], at: string): Promise<void> {
    return this.keys.shred(keyIds, at);
  }

  close(): Promise<void> {
    return this.keys.close();
  }
}
