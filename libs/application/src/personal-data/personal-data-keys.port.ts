/**
 * The personal-data key table's port: reporters' data keys (wrapped by the master key), the master key's
 * check, and the access log of confidential identities. It lives OUTSIDE the append-only event log — the
 * log holds only ciphertext, so destroying a key here erases a reporter without touching the hash chain.
 * Adapters: SQLite (`DATA_DIR/personal-data.sqlite`, beside the embedded store); a PostgreSQL table set
 * may implement the same when that store is used. Every method is async so either fits.
 */
export interface PersonalDataKeys {
  /** where the keys are, for messages (a file path, a database name) */
  readonly location: string;
  /** the check of the master key that wrapped the keys; null on a new table */
  keyCheck(): Promise<KeyCheck | null>;
  /** sets the check when none is set yet (a new table); answers the check in force */
  initKeyCheck(check: KeyCheck): Promise<KeyCheck>;
  insert(record: NewDataKey): Promise<void>;
  get(keyId: string): Promise<DataKeyRecord | null>;
  /** the keys of one reporter, or of the reporter(s) of one issue */
  find(by: { reporterId: string } | { issueId: string }): Promise<DataKeyRecord[]>;
  /** destroys the wrapped keys (crypto-shredding): the rows stay as tombstones with `shreddedAt`, the bytes go */
  shred(keyIds: string[], at: string): Promise<void>;
  /**
   * Master key rotation: every live wrapped key replaced by `rewrap(record)` and the check replaced, in one
   * transaction (all or nothing). Answers how many keys were rewrapped.
   */
  rewrapAll(rewrap: (record: DataKeyRecord & { wrappedKey: string }) => string, check: KeyCheck): Promise<number>;
  recordAccess(entries: PersonalDataAccess[]): Promise<void>;
  /** oldest first, after `afterSeq`; filtered by issue or reporter when given */
  accesses(filter: AccessFilter): Promise<(PersonalDataAccess & { seq: number })[]>;
  close(): Promise<void>;
}

export interface KeyCheck {
  /** public fingerprint of the key-encryption key */
  kcv: string;
  /** a value sealed under the key-encryption key; opening it proves the master key */
  canary: string;
}

export interface NewDataKey {
  keyId: string;
  reporterId: string;
  issueId: string;
  wrappedKey: string;
  createdAt: string;
}

export interface DataKeyRecord {
  keyId: string;
  reporterId: string;
  issueId: string;
  /** null once shredded */
  wrappedKey: string | null;
  createdAt: string;
  shreddedAt: string | null;
}

/** One look at a confidential reporter's identity (or an export with personal data): who, when, which issue. */
export interface PersonalDataAccess {
  at: string;
  actorId: string;
  actorRole: string;
  issueId: string | null;
  reporterId: string | null;
  /** what was read: `issue`, `history`, `list`, `ledger`, `stream`, `export` */
  purpose: string;
}

export interface AccessFilter {
  issueId?: string;
  reporterId?: string;
  afterSeq?: number;
  limit: number;
}
