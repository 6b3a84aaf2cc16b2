import type { Sql } from '../db';
import { deliverEmail, queueEmail, type EmailStatus, type MailContext } from '../email';
import { passwordResetEmail } from '../email/templates';
import { clientKey, hit } from '../rate-limit';
import { AuthError } from './errors';
import { createSession, generateSessionToken, invalidateUserSessions, type Session } from './session';
import { generateToken, hashToken, isTokenShaped } from './token';
import { findUserByEmail, firstMembership, normaliseEmail, setPassword } from './users';

export const RESET_LIFETIME_MS = 60 * 60 * 1000;
const WINDOW_SECONDS = 15 * 60;
/** Reset requests per client address per 15 minutes. */
export const RESET_IP_LIMIT = 10;
/** Reset emails per address per 15 minutes: enough for a lost email, too few to flood an inbox. */
export const RESET_EMAIL_LIMIT = 3;

export type ResetRequestResult =
	| { ok: true; email: { id: string; delivery: Promise<EmailStatus> } | null }
	| { ok: false; code: 'rate_limited' };

/**
 * Emails a single-use link valid one hour, when the address belongs to a member of a shop. The caller
 * answers the same either way (`email` is null when nothing was sent); only rate limiting is told apart.
 * The email carries the shop of the user's first membership, so that shop's admins see it in their outbox.
 */
export async function requestPasswordReset(
	sql: Sql,
	input: { email: string; ip: string },
	mail: MailContext,
	now: Date = new Date()
): Promise<ResetRequestResult> {
	const byIp = await hit(sql, `reset:ip:${clientKey(input.ip)}`, RESET_IP_LIMIT, WINDOW_SECONDS, now);
	if (!byIp.allowed) return { ok: false, code: 'rate_limited' };
	const byEmail = await hit(sql, `reset:email:${normaliseEmail(input.email)}`, RESET_EMAIL_LIMIT, WINDOW_SECONDS, now);
	if (!byEmail.allowed) return { ok: false, code: 'rate_limited' };

	const user = await findUserByEmail(sql, input.email);
	if (!user) return { ok: true, email: null };
	const membership = await firstMembership(sql, user.id);
	if (!membership) return { ok: true, email: null };

	const token = generateToken();
	const content = passwordResetEmail(user.locale ?? membership.shopLocale, {
		url: `${mail.origin}/reset-password/${token}`,
		email: user.email
	});
	const emailId = await sql.begin(async (tx) => {
		// One live link at a time: a new request retires the previous ones.
		await tx`update password_resets set used_at = ${now} where user_id = ${user.id} and used_at is null`;
		await tx`
			insert into password_resets (id, user_id, expires_at, created_at)
			values (${hashToken(token)}, ${user.id}, ${new Date(now.getTime() + RESET_LIFETIME_MS)}, ${now})`;
		return queueEmail(tx, { shopId: membership.shopId, to: user.email, kind: 'password_reset', ...content });
	});
	return { ok: true, email: { id: emailId as string, delivery: deliverEmail(sql, emailId as string, mail) } };
}

/** The account a reset link is for, while the link is unused and unexpired. */
export async function findPasswordReset(
	sql: Sql,
	token: string,
	now: Date = new Date()
): Promise<{ userId: string; email: string } | null> {
	if (!isTokenShaped(token)) return null;
	const [row] = await sql<{ user_id: string; email: string }[]>`
		select r.user_id, u.email from password_resets r join users u on u.id = r.user_id
		where r.id = ${hashToken(token)} and r.used_at is null and r.expires_at > ${now}`;
	return row ? { userId: row.user_id, email: row.email } : null;
}

export type ResetResult =
	| { ok: true; token: string; session: Session }
	| { ok: false; code: 'reset_invalid' | 'password_too_short' | 'password_too_long' | 'password_is_email' | 'no_shop' };

/**
 * Sets the new password, uses up the link, signs the user out everywhere and into a fresh session, in
 * one transaction. A weak password leaves the link usable, so the user can try again.
 */
export async function resetPassword(
	sql: Sql,
	token: string,
	password: string,
	now: Date = new Date()
): Promise<ResetResult> {
	if (!isTokenShaped(token)) return { ok: false, code: 'reset_invalid' };
	try {
		return (await sql.begin(async (tx) => {
			const [reset] = await tx<{ user_id: string; email: string; used_at: Date | null; expires_at: Date }[]>`
				select r.user_id, u.email, r.used_at, r.expires_at from password_resets r join users u on u.id = r.user_id
				where r.id = ${hashToken(token)} for update of r`;
			if (!reset || reset.used_at || reset.expires_at.getTime() <= now.getTime()) {
				return { ok: false, code: 'reset_invalid' } as const;
			}
			await setPassword(tx, { id: reset.user_id, email: reset.email }, password);
			await tx`update password_resets set used_at = ${now} where user_id = ${reset.user_id} and used_at is null`;
			await invalidateUserSessions(tx, reset.user_id);
			const membership = await firstMembership(tx, reset.user_id);
			if (!membership) return { ok: false, code: 'no_shop' } as const;
			const sessionToken = generateSessionToken();
			const session = await createSession(tx, sessionToken, reset.user_id, membership.shopId, now);
			return { ok: true, token: sessionToken, session } as const;
		})) as ResetResult;
	} catch (error) {
		if (error instanceof AuthError) return { ok: false, code: error.code as Exclude<ResetResult, { ok: true }>['code'] };
		throw error;
	}
}
