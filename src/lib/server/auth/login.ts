import type { Sql } from '../db';
import { clear, clientKey, hit } from '../rate-limit';
import type { Role } from './guard';
import { hashPassword, verifyPassword } from './password';
import { createSession, generateSessionToken, type Session } from './session';
import { findUserByEmail, firstMembership, normaliseEmail, type User } from './users';

const WINDOW_SECONDS = 15 * 60;
/** Attempts per client address per window, whatever the account. */
export const LOGIN_IP_LIMIT = 20;
/** Failed attempts per email address per window; a success clears the count. */
export const LOGIN_EMAIL_LIMIT = 5;

export const loginIpKey = (ip: string) => `login:ip:${clientKey(ip)}`;
export const loginEmailKey = (email: string) => `login:email:${normaliseEmail(email)}`;

export type SignInResult =
	| { ok: true; token: string; session: Session; user: User; role: Role }
	| { ok: false; code: 'rate_limited' | 'credentials_invalid' | 'no_shop' };

let dummyHash: Promise<string> | undefined;

/**
 * The user whose password this is, or null. An unknown email costs the same argon2 verification as a
 * wrong password, so response times do not tell which addresses have accounts.
 */
export async function verifyCredentials(sql: Sql, email: string, password: string): Promise<User | null> {
	const user = await findUserByEmail(sql, email);
	if (!user?.passwordHash) {
		dummyHash ??= hashPassword('retour-timing-equaliser-password');
		await verifyPassword(await dummyHash, password);
		return null;
	}
	return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

/**
 * Email + password sign-in into the user's first shop. Every attempt counts against the address and the
 * email (so five failures lock the email for the rest of its window); success clears the email's count.
 */
export async function signIn(
	sql: Sql,
	input: { email: string; password: string; ip: string },
	now: Date = new Date()
): Promise<SignInResult> {
	const byIp = await hit(sql, loginIpKey(input.ip), LOGIN_IP_LIMIT, WINDOW_SECONDS, now);
	if (!byIp.allowed) return { ok: false, code: 'rate_limited' };
	const byEmail = await hit(sql, loginEmailKey(input.email), LOGIN_EMAIL_LIMIT, WINDOW_SECONDS, now);
	if (!byEmail.allowed) return { ok: false, code: 'rate_limited' };

	const user = await verifyCredentials(sql, input.email, input.password);
	if (!user) return { ok: false, code: 'credentials_invalid' };
	await clear(sql, loginEmailKey(input.email));

	const membership = await firstMembership(sql, user.id);
	if (!membership) return { ok: false, code: 'no_shop' };
	const token = generateSessionToken();
	const session = await createSession(sql, token, user.id, membership.shopId, now);
	return { ok: true, token, session, user, role: membership.role };
}
