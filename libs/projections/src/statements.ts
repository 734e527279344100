import type Database from 'better-sqlite3';

/**
 * Something kept per read-model connection (prepared statements, a projection's in-memory state): a
 * rebuild's fresh connection gets its own, and a closed connection's goes with it.
 */
export function perConnection<T>(create: () => T): {
  of(db: Database.Database): T;
  forget(db: Database.Database): void;
} {
  const values = new WeakMap<Database.Database, T>();
  return {
    of(db) {
      let value = values.get(db);
      if (value === undefined) values.set(db, (value = create()));
      return value;
    },
    forget: (db) => void values.delete(db),
  };
}

const prepared = perConnection(() => new Map<string, Database.Statement>());

/**
 * A prepared statement, prepared once per connection: projections run the same few statements for
 * every event, and preparing one costs more than running it.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  const statements = prepared.of(db);
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** A constant vocabulary list as an SQL `IN (...)` operand, e.g. `status IN ${sqlList(OPEN_STATUSES)}`: the words stay the domain's. */
export const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
