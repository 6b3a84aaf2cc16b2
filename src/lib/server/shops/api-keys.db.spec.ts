import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../api/errors';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { authenticateApiKey, createApiKey, hashApiKey, listApiKeys, revokeApiKey } from './api-keys';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let userId: string;
beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'keys-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'keys-other')).id;
	const [user] = await t.sql`insert into users (email, name) values ('owner@keys.test', 'Owner') returning id`;
	userId = user.id;
});
afterAll(() => t.close());

describe('api keys', () => {
	it('creates a key shown once, stored only as its hash with a display prefix', async () => {
		const { id, key, prefix } = await createApiKey(t.sql, shopId, '  Shopify sync ', userId);
		expect(key).toMatch(/^rtr_live_[a-z2-7]{32}$/);
		expect(prefix).toBe(key.slice(0, 12));
		const [row] = await t.sql`select * from api_keys where id = ${id}`;
		expect(row.key_hash).toBe(hashApiKey(key));
		expect(row.key_hash).not.toContain(key.slice(9));
		expect(row.name).toBe('Shopify sync');
		const list = await listApiKeys(t.sql, shopId);
		expect(list).toEqual([
			expect.objectContaining({ id, name: 'Shopify sync', prefix, createdByEmail: 'owner@keys.test', lastUsedAt: null, revokedAt: null })
		]);
		expect(JSON.stringify(list)).not.toContain(key);
	});

	it('refuses an empty name', async () => {
		await expect(createApiKey(t.sql, shopId, '   ', userId)).rejects.toBeInstanceOf(ValidationError);
	});

	it('authenticates a live key, records its use at most once a minute, and refuses anything else', async () => {
		const { id, key } = await createApiKey(t.sql, shopId, 'ERP', userId);
		expect(await authenticateApiKey(t.sql, key)).toEqual({ shopId, keyId: id });
		const [first] = await t.sql`select last_used_at from api_keys where id = ${id}`;
		expect(first.last_used_at).toBeInstanceOf(Date);
		await authenticateApiKey(t.sql, key);
		const [second] = await t.sql`select last_used_at from api_keys where id = ${id}`;
		expect(second.last_used_at.getTime()).toBe(first.last_used_at.getTime());
		await t.sql`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${id}`;
		await authenticateApiKey(t.sql, key);
		const [third] = await t.sql`select last_used_at from api_keys where id = ${id}`;
		expect(Date.now() - third.last_used_at.getTime()).toBeLessThan(60_000);

		expect(await authenticateApiKey(t.sql, key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))).toBeNull();
		expect(await authenticateApiKey(t.sql, 'rtr_live_short')).toBeNull();
		expect(await authenticateApiKey(t.sql, '')).toBeNull();
		expect(await authenticateApiKey(t.sql, `Bearer ${key}`)).toBeNull();
	});

	it('revokes a key of its own shop only; a revoked key no longer authenticates', async () => {
		const { id, key } = await createApiKey(t.sql, shopId, 'Old integration', userId);
		expect(await revokeApiKey(t.sql, otherShopId, id, userId)).toBe(false);
		expect(await authenticateApiKey(t.sql, key)).not.toBeNull();
		expect(await revokeApiKey(t.sql, shopId, id, userId)).toBe(true);
		expect(await revokeApiKey(t.sql, shopId, id, userId)).toBe(false);
		expect(await revokeApiKey(t.sql, shopId, 'not-a-uuid', userId)).toBe(false);
		expect(await authenticateApiKey(t.sql, key)).toBeNull();
		const [row] = await t.sql`select revoked_at, revoked_by from api_keys where id = ${id}`;
		expect(row.revoked_by).toBe(userId);
		const list = await listApiKeys(t.sql, shopId);
		expect(list.at(-1)).toMatchObject({ id, revokedAt: expect.any(Date) });
	});
});
