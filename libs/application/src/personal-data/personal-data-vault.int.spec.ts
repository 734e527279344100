import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@duban/config';
import type { SealedReporter } from '@duban/domain';
import { SealBroken } from './envelope';
import { PersonalDataVault } from './personal-data-vault';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys';

describe('the personal data vault: per-reporter data keys wrapped by the master key, in a SQLite key table', () => {
  let dir: string;
  const master = randomBytes(32);
  const at = '2026-12-01T00:00:00.000Z';
  const fields = { name: '王小明', phone: '13912345678', idNumber: '110101199003071234' };
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'duban-pd-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const openVault = (key = master) => PersonalDataVault.open(new SqlitePersonalDataKeys(dir), key);
  const sealed = async (vault: PersonalDataVault, issueId = 'issue-1'): Promise<SealedReporter> => ({
    ...(await vault.sealReporter(issueId, fields, at)),
    confidential: true,
  });

  it('seals a reporter under a new data key and reveals them again after a restart', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    await vault.close();
    const again = await openVault();
    expect(await again.reveal(reporter)).toEqual({ reporterId: reporter.reporterId, ...fields, confidential: true });
    expect((await again.find({ issueId: 'issue-1' })).map((k) => k.keyId)).toEqual([reporter.sealed.keyId]);
    await again.close();
  });

  it('a wrong master key is refused at open with one line naming PERSONAL_DATA_KEY', async () => {
    await (await openVault()).close();
    const wrong = openVault(randomBytes(32));
    await expect(wrong).rejects.toThrow(ConfigError);
    await expect(openVault(randomBytes(32))).rejects.toThrow(
      /^invalid configuration: PERSONAL_DATA_KEY is not the master key that wrapped the personal data keys in .*personal-data\.sqlite \(their key check value [0-9a-f]{16}, this key's [0-9a-f]{16}\)/,
    );
  });

  it('erasure (crypto-shredding) makes decryption impossible, and the key bytes leave the file', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    const other = await sealed(vault, 'issue-2');
    const wrappedBefore = (await vault.keys.get(reporter.sealed.keyId))!.wrappedKey!;
    await vault.shred([reporter.sealed.keyId], at);
    expect(await vault.reveal(reporter)).toEqual({ reporterId: reporter.reporterId, confidential: true, erased: true });
    expect(await vault.keys.get(reporter.sealed.keyId)).toMatchObject({ wrappedKey: null, shreddedAt: at });
    // the other reporter is untouched
    expect(await vault.reveal(other)).toMatchObject({ name: fields.name });
    await vault.close();
    for (const file of readdirSync(dir))
      expect(readFileSync(join(dir, file)).includes(Buffer.from(wrappedBefore))).toBe(false);
  });

  it('rotation rewraps every data key under the new master key without touching the sealed values', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    const shredded = await sealed(vault, 'issue-2');
    await vault.shred([shredded.sealed.keyId], at);
    await vault.close();
    const next = randomBytes(48);
    expect(await PersonalDataVault.rotate(new SqlitePersonalDataKeys(dir), master, next)).toBe(1);
    await expect(openVault(master)).rejects.toThrow(/PERSONAL_DATA_KEY is not the master key/);
    const rotated = await openVault(next);
    expect(await rotated.reveal(reporter)).toMatchObject({ name: fields.name, phone: fields.phone });
    expect(await rotated.reveal(shredded)).toMatchObject({ erased: true });
    await rotated.close();
  });

  it('rotation with the wrong old key changes nothing', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    await vault.close();
    await expect(
      PersonalDataVault.rotate(new SqlitePersonalDataKeys(dir), randomBytes(32), randomBytes(32)),
    ).rejects.toThrow(/PERSONAL_DATA_KEY/);
    const same = await openVault();
    expect(await same.reveal(reporter)).toMatchObject({ name: fields.name });
    await same.close();
  });

  it('an altered ciphertext is refused, never revealed as garbage', async () => {
    const vault = await openVault();
    const reporter = await sealed(vault);
    const bytes = Buffer.from(reporter.sealed.ciphertext, 'base64');
    bytes[2] ^= 0x20;
    await expect(
      vault.reveal({ ...reporter, sealed: { ...reporter.sealed, ciphertext: bytes.toString('base64') } }),
    ).rejects.toThrow(SealBroken);
    await vault.close();
  });

  it('a reporter recorded in clear by an earlier version reads as it was; a key this installation lacks reads unavailable', async () => {
    const vault = await openVault();
    expect(await vault.reveal({ name: '李四', phone: '1', confidential: false })).toEqual({
      name: '李四',
      phone: '1',
      confidential: false,
    });
    const reporter = await sealed(vault);
    await vault.close();
    rmSync(join(dir, 'personal-data.sqlite'));
    const fresh = await openVault();
    expect(await fresh.reveal(reporter)).toEqual({
      reporterId: reporter.reporterId,
      confidential: true,
      unavailable: true,
    });
    await fresh.close();
  });
});
