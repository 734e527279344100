import { randomBytes } from 'node:crypto';
import type { SealedReporter } from '@duban/domain';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { PersonalDataVault } from './personal-data-vault';
import { PostgresPersonalDataKeys } from './postgres-personal-data-keys';

describe('the personal data key table in PostgreSQL (shared by every node of a deployment)', () => {
  let db: TestDatabase;
  const master = randomBytes(32);
  const at = '2026-12-01T00:00:00.000Z';
  const fields = { name: '王小明', phone: '13912345678' };
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.drop());

  const openVault = (key = master) => PersonalDataVault.open(new PostgresPersonalDataKeys(db.url), key);
  const sealed = async (vault: PersonalDataVault, issueId = 'issue-1'): Promise<SealedReporter> => ({
    ...(await vault.sealReporter(issueId, fields, at)),
    confidential: true,
  });

  it('a reporter sealed by one node is revealed by another; a node with another master key is refused', async () => {
    const [a, b] = await Promise.all([openVault(), openVault()]);
    const reporter = await sealed(a);
    expect(await b.reveal(reporter)).toEqual({ reporterId: reporter.reporterId, ...fields, confidential: true });
    await expect(openVault(randomBytes(32))).rejects.toThrow(/PERSONAL_DATA_KEY is not the master key/);
    await Promise.all([a.close(), b.close()]);
    // an application closed by two shutdown hooks closes the table twice: the pool is ended once, nothing thrown
    await expect(a.close()).resolves.toBeUndefined();
  });

  it('shreds a key for every node, rotates all keys in one transaction, and keeps the access log in order', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    const erased = await sealed(vault, 'issue-2');
    await vault.shred([erased.sealed.keyId], at);
    expect(await vault.keys.get(erased.sealed.keyId)).toMatchObject({ wrappedKey: null, shreddedAt: at });
    const access = { actorId: 'u1', actorRole: 'registrar', reporterId: reporter.reporterId, purpose: 'issue' };
    await vault.keys.recordAccess([
      { ...access, at, issueId: 'issue-1' },
      { ...access, at, issueId: 'issue-2' },
    ]);
    expect((await vault.keys.accesses({ issueId: 'issue-2', limit: 10 })).map((e) => [e.issueId, e.seq])).toEqual([
      ['issue-2', 2],
    ]);
    await vault.close();
    const next = randomBytes(32);
    expect(await PersonalDataVault.rotate(new PostgresPersonalDataKeys(db.url), master, next)).toBe(1);
    const rotated = await openVault(next);
    expect(await rotated.reveal(reporter)).toMatchObject({ name: fields.name });
    expect(await rotated.reveal(erased)).toMatchObject({ erased: true });
    await rotated.close();
  });
});
