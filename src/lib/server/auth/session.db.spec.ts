import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import {
	createSession,
	deleteSessionTokenCookie,
	generateSessionToken,
	invalidateSession,
	invalidateUserSessions,
	SESSION_COOKIE,
	setSessionTokenCookie,
	validateSessionToken
} from './session';
import { createTestMember } from './test-support';
import { hashToken } from './token';
import type { User } from './users';

const DAY = 24 * 60 * 60 * 1000;
let t: TestDatabase;
let shop: Shop;
let owner: User;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'session-shop');
	owner = await createTestMember(t.sql, shop.id, 'owner', 'owner@session.test', { name: 'Olive Owner' });
});
afterAll(() => t.close());

describe('sessions', () => {
	it('stores only the token’s hash and opens the user, shop and role', async () => {
		const token = generateSessionToken();
		const now = new Date('2026-03-01T10:00:00Z');
		const session = await createSession(t.sql, token, owner.id, shop.id, now);
		expect(session.id).toBe(hashToken(token));
		expect(session.expiresAt.getTime()).toBe(now.getTime() + 30 * DAY);
		const [row] = await t.sql`select id from sessions where user_id = ${owner.id}`;
		expect(row.id).toBe(hashToken(token));
		expect(row.id).not.toContain(token);

		const result = await validateSessionToken(t.sql, token, new Date(now.getTime() + DAY));
		expect(result?.user).toMatchObject({ id: owner.id, email: 'owner@session.test', name: 'Olive Owner' });
		expect(result?.shop.id).toBe(shop.id);
		expect(result?.shop.locale).toBe('fr');
		expect(result?.role).toBe('owner');
		// 29 days left: no renewal.
		expect(result?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());
	});

	it('slides the expiry to 30 days when less than 15 are left', async () => {
		const token = generateSessionToken();
		const start = new Date('2026-03-01T10:00:00Z');
		await createSession(t.sql, token, owner.id, shop.id, start);
		const later = new Date(start.getTime() + 16 * DAY);
		const result = await validateSessionToken(t.sql, token, later);
		expect(result?.session.expiresAt.getTime()).toBe(later.getTime() + 30 * DAY);
		const [row] = await t.sql<{ expires_at: Date }[]>`select expires_at from sessions where id = ${hashToken(token)}`;
		expect(row.expires_at.getTime()).toBe(later.getTime() + 30 * DAY);
	});

	it('refuses and deletes an expired session', async () => {
		const token = generateSessionToken();
		const start = new Date('2026-03-01T10:00:00Z');
		await createSession(t.sql, token, owner.id, shop.id, start);
		expect(await validateSessionToken(t.sql, token, new Date(start.getTime() + 30 * DAY))).toBeNull();
		const rows = await t.sql`select 1 from sessions where id = ${hashToken(token)}`;
		expect(rows).toHaveLength(0);
	});

	it('refuses unknown and malformed tokens', async () => {
		expect(await validateSessionToken(t.sql, generateSessionToken())).toBeNull();
		expect(await validateSessionToken(t.sql, "' or 1=1 --")).toBeNull();
	});

	it('invalidates one session, or all of a user’s', async () => {
		const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
		const sa = await createSession(t.sql, a, owner.id, shop.id);
		await createSession(t.sql, b, owner.id, shop.id);
		await createSession(t.sql, c, owner.id, shop.id);
		await invalidateSession(t.sql, sa.id);
		expect(await validateSessionToken(t.sql, a)).toBeNull();
		expect(await validateSessionToken(t.sql, b)).not.toBeNull();
		await invalidateUserSessions(t.sql, owner.id);
		expect(await validateSessionToken(t.sql, b)).toBeNull();
		expect(await validateSessionToken(t.sql, c)).toBeNull();
	});

	it('ends with the membership it was opened in', async () => {
		const staff = await createTestMember(t.sql, shop.id, 'staff', 'staff@session.test');
		const token = generateSessionToken();
		await createSession(t.sql, token, staff.id, shop.id);
		expect((await validateSessionToken(t.sql, token))?.role).toBe('staff');
		await t.sql`delete from shop_members where shop_id = ${shop.id} and user_id = ${staff.id}`;
		expect(await validateSessionToken(t.sql, token)).toBeNull();
	});
});

describe('session cookie', () => {
	function fakeEvent(url: string) {
		const calls: { name: string; value: string; options: Record<string, unknown> }[] = [];
		return {
			calls,
			event: {
				url: new URL(url),
				cookies: {
					set: (name: string, value: string, options: object) => {
						calls.push({ name, value, options: { ...options } });
					},
					delete: () => {}
				}
			}
		};
	}

	it('is httpOnly, lax, path /, secure on https, and expires with the session', () => {
		const expires = new Date('2026-04-01T00:00:00Z');
		const https = fakeEvent('https://returns.example/login');
		setSessionTokenCookie(https.event, 'tok', expires);
		expect(https.calls[0]).toEqual({
			name: SESSION_COOKIE,
			value: 'tok',
			options: { httpOnly: true, sameSite: 'lax', secure: true, path: '/', expires }
		});
		const http = fakeEvent('http://localhost:3000/login');
		setSessionTokenCookie(http.event, 'tok', expires);
		expect(http.calls[0].options.secure).toBe(false);
		deleteSessionTokenCookie(http.event);
		expect(http.calls[1]).toMatchObject({ name: 'retour_session', value: '', options: { maxAge: 0, path: '/', httpOnly: true } });
	});
});
