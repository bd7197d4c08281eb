// The one way to the database: drizzle over the D1 binding. Query builder where it reads well;
// drizzle's `sql` template through db.all / db.get / db.run where SQL reads better; every atomic
// write one db.batch([...]) (D1 has no interactive transactions).
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

/** The drizzle instance for a request, typed with the whole schema (db.query.units, …). */
export function getDb(d1: D1Database) {
  const db = drizzle(d1, { schema });
  // drizzle's D1 batch binds each item's parameters to the item's `stmt`, which a raw
  // db.run(sql`…`) lacks (drizzle-orm issue #2277, still open in 0.45): it gets one here, prepared
  // only if a batch asks, so guarded INSERT … SELECT statements batch like query-builder ones.
  const run = db.run.bind(db);
  db.run = (query) => {
    const raw = run(query);
    return Object.defineProperty(raw, 'stmt', { get: () => d1.prepare(raw.getQuery().sql) });
  };
  return db;
}

export type Db = ReturnType<typeof getDb>;
