/**
 * @duban/audit: the auditor's tools over the event log, shared by the API (apps/api/src/audit) and
 * the CLI (apps/audit-cli): the running ledger digest, its Ed25519 signing key, signed digests in
 * the `audit` stream, the streamed verification, and the NDJSON export/import format.
 */
export * from './running-digest';
export * from './raw-events';
export * from './signing-key';
export * from './ledger-digest';
export * from './verify-log';
export * from './referenced-files';
export * from './log-file';
export * from './digest-scheduler';
export * from './stream-folds';
