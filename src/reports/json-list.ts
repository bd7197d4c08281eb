// A list as one bound parameter: D1 allows 100 bound parameters per statement, and lists of unit
// ids or codes run to thousands, so they travel as one JSON array read with json_each().
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/** `expression IN (the values)`, however many values. */
export const inJsonList = (expression: SQL | AnyColumn, values: readonly unknown[]) =>
  sql`${expression} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
