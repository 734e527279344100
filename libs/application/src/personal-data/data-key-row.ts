import type { DataKeyRecord, KeyCheck } from './personal-data-keys.port';

/** A row of the key table as both SQL adapters store it (SQLite `data_keys`, PostgreSQL `personal_data_keys`). */
export interface DataKeyRow {
  key_id: string;
  reporter_id: string;
  issue_id: string;
  wrapped_key: string | null;
  created_at: string;
  shredded_at: string | null;
}

export const dataKeyRecord = (r: DataKeyRow): DataKeyRecord => ({
  keyId: r.key_id,
  reporterId: r.reporter_id,
  issueId: r.issue_id,
  wrappedKey: r.wrapped_key,
  createdAt: r.created_at,
  shreddedAt: r.shredded_at,
});

/** The master key's check from the meta table's name/value rows; null until both are set. */
export function keyCheckOf(rows: { name: string; value: string }[]): KeyCheck | null {
  const kcv = rows.find((r) => r.name === 'kcv')?.value;
  const canary = rows.find((r) => r.name === 'canary')?.value;
  return kcv && canary ? { kcv, canary } : null;
}
