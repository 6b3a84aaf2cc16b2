import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Queryable } from '../db';
import { ValidationError } from '../api/errors';

/**
 * Shop API keys: `rtr_live_` + 32 base32 characters (160 random bits). Only the SHA-256 of a key is
 * stored, beside its first 12 characters so people can tell keys apart; the key itself is shown once.
 */
export const API_KEY_PATTERN = /^rtr_live_[a-z2-7]{32}$/;
const PREFIX_LENGTH = 12;

export interface ApiKeySummary {
	id: string;
	name: string;
	prefix: string;
	createdAt: Date;
	createdByEmail: string | null;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

export function hashApiKey(key: string): string {
	return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
	return `rtr_live_${encodeBase32LowerCaseNoPadding(randomBytes(20))}`;
}

export async function createApiKey(
	sql: Queryable,
	shopId: string,
	name: string,
	createdBy: string | null
): Promise<{ id: string; key: string; prefix: string }> {
	const trimmed = name.trim();
	if (trimmed.length < 1 || trimmed.length > 100) {
		throw new ValidationError([{ path: 'name', message: 'must be 1 to 100 characters' }]);
	}
	const key = generateApiKey();
	const prefix = key.slice(0, PREFIX_LENGTH);
	const [row] = await sql<{ id: string }[]>`
		insert into api_keys (shop_id, name, prefix, key_hash, created_by)
		values (${shopId}, ${trimmed}, ${prefix}, ${hashApiKey(key)}, ${createdBy})
		returning id`;
	return { id: row.id, key, prefix };
}

/** Newest first, revoked ones included (they show as revoked). */
export async function listApiKeys(sql: Queryable, shopId: string): Promise<ApiKeySummary[]> {
	const rows = await sql`
		select k.id, k.name, k.prefix, k.created_at, u.email as created_by_email, k.last_used_at, k.revoked_at
		from api_keys k left join users u on u.id = k.created_by
		where k.shop_id = ${shopId}
		order by k.revoked_at is not null, k.created_at desc`;
	return rows.map((r) => ({
		id: r.id as string,
		name: r.name as string,
		prefix: r.prefix as string,
		createdAt: r.created_at as Date,
		createdByEmail: (r.created_by_email as string | null) ?? null,
		lastUsedAt: (r.last_used_at as Date | null) ?? null,
		revokedAt: (r.revoked_at as Date | null) ?? null
	}));
}

/** True when the key was live and is now revoked; false when the shop has no such live key. */
export async function revokeApiKey(sql: Queryable, shopId: string, id: string, userId: string | null): Promise<boolean> {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
	const rows = await sql`
		update api_keys set revoked_at = now(), revoked_by = ${userId}
		where shop_id = ${shopId} and id = ${id} and revoked_at is null
		returning id`;
	return rows.length === 1;
}

/**
 * The shop a presented key belongs to, or null for anything malformed, unknown or revoked. Marks the
 * key used in the same statement, at most once a minute so busy integrations do not write on every call.
 */
export async function authenticateApiKey(sql: Queryable, key: string): Promise<{ shopId: string; keyId: string } | null> {
	if (!API_KEY_PATTERN.test(key)) return null;
	const [row] = await sql<{ id: string; shop_id: string }[]>`
		with k as (
			select id, shop_id, last_used_at from api_keys where key_hash = ${hashApiKey(key)} and revoked_at is null
		), touched as (
			update api_keys set last_used_at = now()
			where id in (select id from k where last_used_at is null or last_used_at < now() - interval '1 minute')
		)
		select id, shop_id from k`;
	return row ? { shopId: row.shop_id, keyId: row.id } : null;
}
