import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import { AuthError } from './errors';
import { createTestMember } from './test-support';
import { addMember, createUser, findUserByEmail, listMembers, removeMember } from './users';

let t: TestDatabase;
let shop: Shop;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'users-shop');
});
afterAll(() => t.close());

const code = (promise: Promise<unknown>) =>
	promise.then(
		() => 'resolved',
		(e) => (e instanceof AuthError ? e.code : `unexpected: ${e}`)
	);

describe('createUser and addMember', () => {
	it('work inside a transaction, and roll back with it', async () => {
		await t.sql
			.begin(async (tx) => {
				const user = await createUser(tx, { email: 'Rolled@Back.test', name: 'Rolled', password: 'long enough pw' });
				await addMember(tx, shop.id, user.id, 'owner');
				throw new Error('abort');
			})
			.catch(() => {});
		expect(await findUserByEmail(t.sql, 'rolled@back.test')).toBeUndefined();

		const user = (await t.sql.begin(async (tx) => {
			const u = await createUser(tx, { email: ' Kept@Users.test ', name: ' Kept ', password: 'long enough pw', locale: 'fr' });
			await addMember(tx, shop.id, u.id, 'owner');
			return u;
		})) as Awaited<ReturnType<typeof createUser>>;
		expect(user).toMatchObject({ email: 'kept@users.test', name: 'Kept', locale: 'fr' });
		expect((await findUserByEmail(t.sql, 'KEPT@users.test'))?.passwordHash).toMatch(/^\$argon2id\$/);
	});

	it('refuses bad input with a code naming what is wrong, before writing anything', async () => {
		expect(await code(createUser(t.sql, { email: 'no-at-sign', name: 'X', password: 'long enough pw' }))).toBe('email_invalid');
		expect(await code(createUser(t.sql, { email: 'short@users.test', name: 'X', password: 'short' }))).toBe('password_too_short');
		expect(await code(createUser(t.sql, { email: 'same@users.test', name: 'X', password: 'same@users.test' }))).toBe('password_is_email');
		expect(await code(createUser(t.sql, { email: 'long@users.test', name: 'x'.repeat(201), password: 'long enough pw' }))).toBe('name_too_long');
		expect(await code(createUser(t.sql, { email: 'KEPT@users.test', name: 'Dup', password: 'long enough pw' }))).toBe('email_taken');
		const [{ count }] = await t.sql`select count(*)::int as count from users where email like '%@users.test'`;
		expect(count).toBe(1);
	});

	it('refuses a second membership in the same shop', async () => {
		const user = await createTestMember(t.sql, shop.id, 'staff', 'twice@users.test');
		expect(await code(addMember(t.sql, shop.id, user.id, 'admin'))).toBe('already_member');
	});
});

describe('removeMember', () => {
	it('lets an owner remove others but never themselves or the last owner; admins only staff', async () => {
		const s = await createTestShop(t.sql, 'removal-shop');
		const owner = await createTestMember(t.sql, s.id, 'owner', 'owner@removal.test');
		const admin = await createTestMember(t.sql, s.id, 'admin', 'admin@removal.test');
		const admin2 = await createTestMember(t.sql, s.id, 'admin', 'admin2@removal.test');
		const staff = await createTestMember(t.sql, s.id, 'staff', 'staff@removal.test');

		expect(await code(removeMember(t.sql, s.id, owner.id, owner.id))).toBe('cannot_remove_self');
		expect(await code(removeMember(t.sql, s.id, admin.id, owner.id))).toBe('role_not_allowed');
		expect(await code(removeMember(t.sql, s.id, admin.id, admin2.id))).toBe('role_not_allowed');
		expect(await code(removeMember(t.sql, s.id, staff.id, admin.id))).toBe('role_not_allowed');
		expect(await code(removeMember(t.sql, s.id, owner.id, '00000000-0000-0000-0000-000000000000'))).toBe('member_not_found');

		expect(await code(removeMember(t.sql, s.id, admin.id, staff.id))).toBe('resolved');
		expect(await code(removeMember(t.sql, s.id, owner.id, admin2.id))).toBe('resolved');
		expect((await listMembers(t.sql, s.id)).map((m) => [m.email, m.role])).toEqual([
			['owner@removal.test', 'owner'],
			['admin@removal.test', 'admin']
		]);
	});

	it('keeps one owner when two owners remove each other', async () => {
		const s = await createTestShop(t.sql, 'two-owners');
		const a = await createTestMember(t.sql, s.id, 'owner', 'a@owners.test');
		const b = await createTestMember(t.sql, s.id, 'owner', 'b@owners.test');
		const results = await Promise.all([code(removeMember(t.sql, s.id, a.id, b.id)), code(removeMember(t.sql, s.id, b.id, a.id))]);
		expect(results.filter((r) => r === 'resolved')).toHaveLength(1);
		const owners = (await listMembers(t.sql, s.id)).filter((m) => m.role === 'owner');
		expect(owners).toHaveLength(1);
	});
});
