import { is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteRaw } from 'drizzle-orm/sqlite-core/query-builders/raw';
import * as schema from './schema';

/**
 * What the database is read and written through: the binding itself, or one of its D1 Sessions
 * (`env.DB.withSession(…)`, read replication; src/http/d1-session.ts). drizzle's D1 driver only
 * calls prepare() and batch(), which a session has with the same meaning, so it takes either.
 */
export type D1Handle = Pick<D1Database, 'prepare' | 'batch'>;

/** The drizzle instance for a request, typed with the whole schema (db.query.units, …). */
export function getDb(d1: D1Handle) {
  return withSqlInBatch(drizzle(d1 as D1Database, { schema }), d1);
}

export type Db = ReturnType<typeof getDb>;

/**
 * `db.batch([db.run(sql`… ${value} …`), …])`: drizzle's D1 batch binds each item's parameters to
 * the D1 statement a query builder prepares, which `db.run` / `db.all` / `db.get` items lack, so
 * one with a parameter fails ("reading 'bind'", drizzle-orm#2277). Each such item gets its own.
 */
function withSqlInBatch<T extends ReturnType<typeof drizzle<typeof schema>>>(db: T, d1: D1Handle): T {
  const batch = db.batch.bind(db);
  db.batch = (items) => {
    for (const item of items) {
      if (is(item, SQLiteRaw) && !('stmt' in item)) Object.assign(item, { stmt: d1.prepare(item.getQuery().sql) });
    }
    return batch(items);
  };
  return db;
}
