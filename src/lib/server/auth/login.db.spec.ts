import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import { LOGIN_EMAIL_LIMIT, LOGIN_IP_LIMIT, signIn } from './login';
import { validateSessionToken } from './session';
import { createTestMember, TEST_PASSWORD } from './test-support';
import { createUser } from './users';

let t: TestDatabase;
let shop: Shop;
let second: Shop;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'login-shop');
	second = await createTestShop(t.sql, 'login-second');
});
afterAll(() => t.close());

describe('signIn', () => {
	it('opens a session in the user’s first shop, whatever the email’s case', async () => {
		const user = await createTestMember(t.sql, shop.id, 'admin', 'ana@login.test');
		await t.sql`insert into shop_members (shop_id, user_id, role, created_at) values (${second.id}, ${user.id}, 'owner', now() + interval '1 minute')`;
		const result = await signIn(t.sql, { email: '  ANA@Login.test ', password: TEST_PASSWORD, ip: '10.0.0.1' });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.role).toBe('admin');
		const validated = await validateSessionToken(t.sql, result.token);
		expect(validated?.shop.id).toBe(shop.id);
		expect(validated?.user.id).toBe(user.id);
	});

	it('gives the same answer for a wrong password and an unknown email', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'bo@login.test');
		const wrong = await signIn(t.sql, { email: 'bo@login.test', password: 'not the password', ip: '10.0.0.2' });
		const unknown = await signIn(t.sql, { email: 'nobody@login.test', password: TEST_PASSWORD, ip: '10.0.0.2' });
		expect(wrong).toEqual({ ok: false, code: 'credentials_invalid' });
		expect(unknown).toEqual({ ok: false, code: 'credentials_invalid' });
	});

	it('locks an email after 5 failures in the window, even with the right password, from any address', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'cy@login.test');
		const now = new Date('2026-05-01T12:00:00Z');
		for (let i = 0; i < LOGIN_EMAIL_LIMIT; i++) {
			const r = await signIn(t.sql, { email: 'cy@login.test', password: 'wrong password', ip: `10.1.0.${i}` }, now);
			expect(r).toEqual({ ok: false, code: 'credentials_invalid' });
		}
		const locked = await signIn(t.sql, { email: 'cy@login.test', password: TEST_PASSWORD, ip: '10.1.1.1' }, now);
		expect(locked).toEqual({ ok: false, code: 'rate_limited' });
		// The window is 15 minutes.
		const later = new Date(now.getTime() + 15 * 60 * 1000 + 1000);
		const again = await signIn(t.sql, { email: 'cy@login.test', password: TEST_PASSWORD, ip: '10.1.1.1' }, later);
		expect(again.ok).toBe(true);
	});

	it('clears the email’s failures on success', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'dee@login.test');
		const now = new Date('2026-05-02T12:00:00Z');
		const attempt = (password: string) => signIn(t.sql, { email: 'dee@login.test', password, ip: '10.2.0.1' }, now);
		for (let i = 0; i < LOGIN_EMAIL_LIMIT - 1; i++) expect((await attempt('wrong password')).ok).toBe(false);
		expect((await attempt(TEST_PASSWORD)).ok).toBe(true);
		for (let i = 0; i < LOGIN_EMAIL_LIMIT; i++) expect(await attempt('wrong password')).toEqual({ ok: false, code: 'credentials_invalid' });
		expect(await attempt(TEST_PASSWORD)).toEqual({ ok: false, code: 'rate_limited' });
	});

	it('limits one address to 20 attempts per window across emails', async () => {
		const now = new Date('2026-05-03T12:00:00Z');
		for (let i = 0; i < LOGIN_IP_LIMIT; i++) {
			const r = await signIn(t.sql, { email: `guess${i}@login.test`, password: 'wrong password', ip: '10.3.0.1' }, now);
			expect(r.ok === false && r.code).toBe('credentials_invalid');
		}
		const r = await signIn(t.sql, { email: 'guess-last@login.test', password: 'wrong password', ip: '10.3.0.1' }, now);
		expect(r).toEqual({ ok: false, code: 'rate_limited' });
		const other = await signIn(t.sql, { email: 'guess-last@login.test', password: 'wrong password', ip: '10.3.0.2' }, now);
		expect(other).toEqual({ ok: false, code: 'credentials_invalid' });
	});

	it('refuses a correct password of an account that belongs to no shop', async () => {
		await createUser(t.sql, { email: 'loner@login.test', name: 'Loner', password: TEST_PASSWORD });
		const r = await signIn(t.sql, { email: 'loner@login.test', password: TEST_PASSWORD, ip: '10.4.0.1' });
		expect(r).toEqual({ ok: false, code: 'no_shop' });
	});
});
