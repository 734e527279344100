import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the tests use: PG_TEST_URL (set by .ci/run or the jest global setup), else the usual local one. */
export const DEFAULT_PG_TEST_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function adminUrl(): string {
  const url = process.env.PG_TEST_URL;
  if (!url)
    throw new Error(
      'PostgreSQL is needed for this test: none answered at 127.0.0.1:5432; run .ci/run (it starts one) or set PG_TEST_URL=postgres://user@host:port/postgres',
    );
  return url;
}

/** Answers whether a server answers at `url` (used by the global setup). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  /** postgres://…/<name> */
  url: string;
  name: string;
  /** drops it (closing what still holds it) */
  drop(): Promise<void>;
}

/** A database of its own for one spec, named after the run so the global teardown drops what a crashed spec left. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const prefix = process.env.DUBAN_TEST_PG_PREFIX ?? 'duban_t_';
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropTestDatabases([name]) };
}

export async function dropTestDatabases(names: string[]): Promise<void> {
  await admin(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Drops every database this run made (its prefix). */
export async function dropRunDatabases(prefix: string): Promise<void> {
  const names = await admin(async (c) =>
    (
      await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])
    ).rows.map((r) => r.datname),
  );
  await dropTestDatabases(names);
}
