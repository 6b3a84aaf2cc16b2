import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import { signIn } from './login';
import { findPasswordReset, requestPasswordReset, RESET_EMAIL_LIMIT, resetPassword } from './password-reset';
import { createSession, generateSessionToken, validateSessionToken } from './session';
import { createTestMember, lastEmailedToken, TEST_PASSWORD } from './test-support';
import { hashToken } from './token';

let t: TestDatabase;
let shop: Shop;
const mail = { origin: 'https://returns.example', smtpUrl: null };

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'reset-shop');
});
afterAll(() => t.close());

describe('requestPasswordReset', () => {
	it('emails a link in the user’s language, in the outbox of their first shop, storing only the token’s hash', async () => {
		await createTestMember(t.sql, shop.id, 'owner', 'eva@reset.test', { locale: 'en' });
		const result = await requestPasswordReset(t.sql, { email: 'EVA@reset.test', ip: '10.0.0.1' }, mail);
		expect(result.ok && result.email).toBeTruthy();
		if (!result.ok || !result.email) return;
		expect(await result.email.delivery).toBe('outbox');

		const [email] = await t.sql`select * from emails where id = ${result.email.id}`;
		expect(email).toMatchObject({ shop_id: shop.id, to_address: 'eva@reset.test', kind: 'password_reset', status: 'outbox' });
		expect(email.subject).toBe('Choose a new Retour password');
		const token = await lastEmailedToken(t.sql, 'eva@reset.test', '/reset-password/');
		expect(email.text_body).toContain(`https://returns.example/reset-password/${token}`);
		expect(email.html_body).toContain(`https://returns.example/reset-password/${token}`);
		const [reset] = await t.sql<{ id: string; expires_at: Date; created_at: Date }[]>`
			select id, expires_at, created_at from password_resets where id = ${hashToken(token)}`;
		expect(reset.expires_at.getTime() - reset.created_at.getTime()).toBe(60 * 60 * 1000);
		expect(await findPasswordReset(t.sql, token)).toMatchObject({ email: 'eva@reset.test' });
	});

	it('falls back to the shop’s language when the user has none', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'fanny@reset.test');
		await requestPasswordReset(t.sql, { email: 'fanny@reset.test', ip: '10.0.0.2' }, mail);
		const [email] = await t.sql`select subject from emails where to_address = 'fanny@reset.test'`;
		expect(email.subject).toBe('Choisissez un nouveau mot de passe Retour');
	});

	it('answers the same for an unknown address, and sends nothing', async () => {
		const result = await requestPasswordReset(t.sql, { email: 'ghost@reset.test', ip: '10.0.0.3' }, mail);
		expect(result).toEqual({ ok: true, email: null });
		expect(await t.sql`select 1 from emails where to_address = 'ghost@reset.test'`).toHaveLength(0);
	});

	it('is rate limited per email', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'hugo@reset.test');
		const now = new Date('2026-06-01T08:00:00Z');
		for (let i = 0; i < RESET_EMAIL_LIMIT; i++) {
			expect((await requestPasswordReset(t.sql, { email: 'hugo@reset.test', ip: `10.5.0.${i}` }, mail, now)).ok).toBe(true);
		}
		expect(await requestPasswordReset(t.sql, { email: 'hugo@reset.test', ip: '10.5.1.1' }, mail, now)).toEqual({
			ok: false,
			code: 'rate_limited'
		});
		const [{ count }] = await t.sql`select count(*)::int as count from emails where to_address = 'hugo@reset.test'`;
		expect(count).toBe(RESET_EMAIL_LIMIT);
	});
});

describe('resetPassword', () => {
	it('sets the password, signs out every session, signs in, and works only once', async () => {
		const user = await createTestMember(t.sql, shop.id, 'admin', 'ines@reset.test');
		const oldToken = generateSessionToken();
		await createSession(t.sql, oldToken, user.id, shop.id);
		await requestPasswordReset(t.sql, { email: 'ines@reset.test', ip: '10.0.0.4' }, mail);
		const token = await lastEmailedToken(t.sql, 'ines@reset.test', '/reset-password/');

		const result = await resetPassword(t.sql, token, 'a brand new password');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await validateSessionToken(t.sql, oldToken)).toBeNull();
		expect((await validateSessionToken(t.sql, result.token))?.user.id).toBe(user.id);

		expect(await resetPassword(t.sql, token, 'another new password')).toEqual({ ok: false, code: 'reset_invalid' });
		expect(await findPasswordReset(t.sql, token)).toBeNull();
		expect((await signIn(t.sql, { email: 'ines@reset.test', password: TEST_PASSWORD, ip: '10.0.0.4' })).ok).toBe(false);
		expect((await signIn(t.sql, { email: 'ines@reset.test', password: 'a brand new password', ip: '10.0.0.4' })).ok).toBe(true);
	});

	it('refuses an expired link', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'jade@reset.test');
		const asked = new Date('2026-06-02T08:00:00Z');
		await requestPasswordReset(t.sql, { email: 'jade@reset.test', ip: '10.0.0.5' }, mail, asked);
		const token = await lastEmailedToken(t.sql, 'jade@reset.test', '/reset-password/');
		const stillValid = new Date(asked.getTime() + 59 * 60 * 1000);
		const expired = new Date(asked.getTime() + 60 * 60 * 1000);
		expect(await findPasswordReset(t.sql, token, stillValid)).not.toBeNull();
		expect(await findPasswordReset(t.sql, token, expired)).toBeNull();
		expect(await resetPassword(t.sql, token, 'a brand new password', expired)).toEqual({ ok: false, code: 'reset_invalid' });
	});

	it('keeps the link usable after a refused weak password', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'kim@reset.test');
		await requestPasswordReset(t.sql, { email: 'kim@reset.test', ip: '10.0.0.6' }, mail);
		const token = await lastEmailedToken(t.sql, 'kim@reset.test', '/reset-password/');
		expect(await resetPassword(t.sql, token, 'short')).toEqual({ ok: false, code: 'password_too_short' });
		expect(await resetPassword(t.sql, token, 'kim@reset.test')).toEqual({ ok: false, code: 'password_is_email' });
		expect((await resetPassword(t.sql, token, 'finally long enough')).ok).toBe(true);
	});

	it('retires an older link when a newer one is asked for', async () => {
		await createTestMember(t.sql, shop.id, 'staff', 'leo@reset.test');
		await requestPasswordReset(t.sql, { email: 'leo@reset.test', ip: '10.0.0.7' }, mail);
		const first = await lastEmailedToken(t.sql, 'leo@reset.test', '/reset-password/');
		await requestPasswordReset(t.sql, { email: 'leo@reset.test', ip: '10.0.0.7' }, mail);
		const second = await lastEmailedToken(t.sql, 'leo@reset.test', '/reset-password/');
		expect(second).not.toBe(first);
		expect(await resetPassword(t.sql, first, 'a brand new password')).toEqual({ ok: false, code: 'reset_invalid' });
		expect((await resetPassword(t.sql, second, 'a brand new password')).ok).toBe(true);
	});

	it('refuses a made-up token', async () => {
		expect(await resetPassword(t.sql, generateSessionToken(), 'a brand new password')).toEqual({ ok: false, code: 'reset_invalid' });
		expect(await resetPassword(t.sql, 'nope', 'a brand new password')).toEqual({ ok: false, code: 'reset_invalid' });
	});
});
