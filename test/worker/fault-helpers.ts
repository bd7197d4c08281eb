// Platform failures for the fault tests: a D1 binding that fails where the test says, as the
// real one can (a statement error, an overloaded or reset database, an isolate killed mid-run).
// It wraps the real local D1, so what did run ran for real; nothing of our code is replaced.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

/** What D1 says when a statement fails: the batch it was in is rolled back as a whole. */
const INJECTED = 'D1_ERROR: injected fault';

/** A D1 Session of the wrapped binding (the app reads through one, src/http/d1-session.ts): its statements go through the wrapper too. */
export const sessionOf = (db: D1Database) => () => ({ prepare: (sql: string) => db.prepare(sql), batch: (s: D1PreparedStatement[]) => db.batch(s), getBookmark: () => null });

/**
 * The real D1, except that the statement at index `failAt` (counted over every statement of
 * every batch() of the request, from 0) is replaced by one that fails in SQLite. D1 runs a batch
 * as one transaction, so the real database rolls the whole batch back, exactly as it would for
 * a constraint error, a full database or a reset in the middle of that batch.
 */
export function failingBatchStatement(real: D1Database, failAt: number) {
  let seen = 0;
  let injected = false;
  const db = new Proxy(real, {
    get(target, property) {
      if (property === 'withSession') return sessionOf(db);
      if (property === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          const at = failAt - seen;
          seen += statements.length;
          if (at < 0 || at >= statements.length) return target.batch(statements);
          injected = true;
          const faulty = [...statements];
          faulty[at] = target.prepare(`INSERT INTO "${INJECTED}" VALUES (1)`); // no such table
          return target.batch(faulty);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, injected: () => injected, statements: () => seen };
}

/**
 * The real D1 until `limit` statements have been sent to it (single ones and each statement of
 * a batch); from then on every call fails, as when the isolate running the cron is killed: the
 * work in flight is lost, and nothing after it happens.
 */
export function dyingAfter(real: D1Database, limit: number) {
  let used = 0;
  const spend = (n: number) => {
    used += n;
    if (used > limit) throw new Error(INJECTED);
  };
  const watch = (statement: D1PreparedStatement): D1PreparedStatement => {
    const bind = statement.bind.bind(statement);
    for (const method of ['run', 'all', 'first', 'raw'] as const) {
      const original = (statement[method] as (...args: unknown[]) => Promise<unknown>).bind(statement);
      Object.assign(statement, { [method]: async (...args: unknown[]) => (spend(1), original(...args)) });
    }
    return Object.assign(statement, { bind: (...values: unknown[]) => watch(bind(...values)) });
  };
  const db = new Proxy(real, {
    get(target, property) {
      if (property === 'withSession') return sessionOf(db);
      if (property === 'prepare') return (sql: string) => watch(target.prepare(sql));
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          spend(statements.length);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, died: () => used > limit };
}

/**
 * Every row of every table, to compare before and after. rate_limits is left out: its counters
 * record attempts, failed ones included, before any work starts (by design, one upsert of its own).
 */
export async function dumpDatabase(): Promise<Record<string, unknown[]>> {
  const tables = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like '\\_cf\\_%' escape '\\' and name <> 'rate_limits' order by name",
  ).all<{ name: string }>();
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables.results) dump[name] = (await env.DB.prepare(`select * from "${name}" order by rowid`).all()).results;
  return dump;
}

/**
 * Sends the request once per statement of the batches it writes, each time with that statement
 * failing: each answer must be a 5xx and the database exactly as before. Then once without a
 * fault, whose answer is returned. `send` gets the D1 to use and must build a fresh request.
 */
export async function everyStatementFailingOnce(
  send: (db: D1Database) => Promise<Response>,
): Promise<{ response: Response; statements: number }> {
  const before = await dumpDatabase(); // each failed attempt must leave exactly this
  for (let failAt = 0; ; failAt++) {
    const fault = failingBatchStatement(env.DB, failAt);
    const response = await send(fault.db);
    if (!fault.injected()) return { response, statements: fault.statements() };
    const text = await response.text();
    expect(response.status, `statement ${failAt} failing: ${response.status} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(500);
    expect(await dumpDatabase(), `statement ${failAt} failing left a half-write`).toEqual(before);
  }
}
