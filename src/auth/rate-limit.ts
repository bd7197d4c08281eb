// Fixed-window counters in D1: one upsert per hit, atomic, no read-modify-write race.

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export async function hit(d1: D1Database, key: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> {
  const windowStart = now - (now % windowMs);
  const row = await d1
    .prepare(
      `insert into rate_limits (key, window_start, count) values (?1, ?2, 1)
       on conflict (key) do update set
         count = case when window_start = excluded.window_start then count + 1 else 1 end,
         window_start = excluded.window_start
       returning count`,
    )
    .bind(key, windowStart)
    .first<{ count: number }>();
  const count = row?.count ?? 1;
  return { allowed: count <= limit, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}
