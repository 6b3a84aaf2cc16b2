import type { Queryable } from './db';

export interface RateLimitResult {
	allowed: boolean;
	remaining: number;
	retryAfterSeconds: number;
}

/**
 * A fixed-window counter in PostgreSQL, so every app process shares it. One statement: the row is
 * reset when its window has passed, otherwise incremented; the caller is refused past `limit`.
 */
export async function hit(
	sql: Queryable,
	key: string,
	limit: number,
	windowSeconds: number,
	now: Date = new Date()
): Promise<RateLimitResult> {
	const [row] = await sql<{ hits: number; window_start: Date }[]>`
		insert into rate_limits (key, window_start, hits) values (${key}, ${now}, 1)
		on conflict (key) do update set
			hits = case when rate_limits.window_start <= ${now}::timestamptz - make_interval(secs => ${windowSeconds})
				then 1 else rate_limits.hits + 1 end,
			window_start = case when rate_limits.window_start <= ${now}::timestamptz - make_interval(secs => ${windowSeconds})
				then ${now} else rate_limits.window_start end
		returning hits, window_start`;
	const resetAt = row.window_start.getTime() + windowSeconds * 1000;
	return {
		allowed: row.hits <= limit,
		remaining: Math.max(0, limit - row.hits),
		retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000))
	};
}

/** Forget a key, e.g. after a successful sign-in. */
export async function clear(sql: Queryable, key: string): Promise<void> {
	await sql`delete from rate_limits where key = ${key}`;
}

/**
 * The part of a client address that names one client: an IPv4 address, or an IPv6 /64 (one household or
 * server usually holds a whole /64, so counting single IPv6 addresses would be no limit at all).
 */
export function clientKey(address: string): string {
	const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
	if (mapped) return mapped[1];
	if (!a.includes(':')) return a;
	const [head, tail = ''] = a.split('::');
	const left = head ? head.split(':') : [];
	const right = a.includes('::') ? (tail ? tail.split(':') : []) : [];
	const groups = a.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
	return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':') + '::/64';
}
