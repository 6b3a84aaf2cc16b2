import type { Cookies } from '@sveltejs/kit';
import type { Queryable } from '../db';
import type { Locale } from '../shops/service';
import { getShop, type Shop } from '../shops/service';
import type { Role } from './guard';
import { generateToken, hashToken, isTokenShaped } from './token';

export const SESSION_COOKIE = 'retour_session';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A session lives 30 days from its last renewal… */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** …and is renewed by any request in its last 15 days, so someone active stays signed in. */
export const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;

export interface Session {
	/** SHA-256 (hex) of the token the cookie holds. */
	id: string;
	userId: string;
	shopId: string;
	expiresAt: Date;
}

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	locale: Locale | null;
}

export interface SessionValidation {
	session: Session;
	user: SessionUser;
	shop: Shop;
	role: Role;
}

export function generateSessionToken(): string {
	return generateToken();
}

export async function createSession(
	sql: Queryable,
	token: string,
	userId: string,
	shopId: string,
	now: Date = new Date()
): Promise<Session> {
	const session: Session = {
		id: hashToken(token),
		userId,
		shopId,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	await sql`
		insert into sessions (id, user_id, shop_id, expires_at, created_at)
		values (${session.id}, ${userId}, ${shopId}, ${session.expiresAt}, ${now})`;
	return session;
}

/**
 * The session a cookie's token opens, with its user, shop and role; null when unknown or expired (an
 * expired row is deleted). Slides the expiry forward when less than 15 days are left.
 */
export async function validateSessionToken(
	sql: Queryable,
	token: string,
	now: Date = new Date()
): Promise<SessionValidation | null> {
	if (!isTokenShaped(token)) return null;
	const id = hashToken(token);
	const [row] = await sql<
		{ user_id: string; shop_id: string; expires_at: Date; email: string; name: string; locale: Locale | null; role: Role }[]
	>`
		select s.user_id, s.shop_id, s.expires_at, u.email, u.name, u.locale, m.role
		from sessions s
		join users u on u.id = s.user_id
		join shop_members m on m.shop_id = s.shop_id and m.user_id = s.user_id
		where s.id = ${id}`;
	if (!row) return null;
	if (now.getTime() >= row.expires_at.getTime()) {
		await sql`delete from sessions where id = ${id}`;
		return null;
	}
	const session: Session = { id, userId: row.user_id, shopId: row.shop_id, expiresAt: row.expires_at };
	if (row.expires_at.getTime() - now.getTime() < SESSION_RENEW_WITHIN_MS) {
		session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		await sql`update sessions set expires_at = ${session.expiresAt} where id = ${id}`;
	}
	const shop = await getShop(sql, row.shop_id);
	if (!shop) return null;
	return {
		session,
		user: { id: row.user_id, email: row.email, name: row.name, locale: row.locale },
		shop,
		role: row.role
	};
}

export async function invalidateSession(sql: Queryable, sessionId: string): Promise<void> {
	await sql`delete from sessions where id = ${sessionId}`;
}

export async function invalidateUserSessions(sql: Queryable, userId: string): Promise<void> {
	await sql`delete from sessions where user_id = ${userId}`;
}

/** The part of a RequestEvent the cookie helpers need. */
export interface CookieEvent {
	cookies: Pick<Cookies, 'set' | 'delete'>;
	url: URL;
}

export function setSessionTokenCookie(event: CookieEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		path: '/',
		expires: expiresAt
	});
}

export function deleteSessionTokenCookie(event: CookieEvent): void {
	event.cookies.set(SESSION_COOKIE, '', {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		path: '/',
		maxAge: 0
	});
}
