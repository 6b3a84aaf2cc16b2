import type { Sql } from '../db';
import { deliverEmail, queueEmail, type EmailStatus, type MailContext } from '../email';
import { invitationEmail } from '../email/templates';
import { clear, hit } from '../rate-limit';
import type { Locale } from '../shops/service';
import { AuthError, type AuthErrorCode } from './errors';
import type { Role } from './guard';
import { LOGIN_EMAIL_LIMIT, LOGIN_IP_LIMIT, loginEmailKey, loginIpKey } from './login';
import { verifyPassword } from './password';
import { canInvite, type InvitableRole } from './roles';
import { createSession, generateSessionToken, type Session } from './session';
import { generateToken, hashToken, isTokenShaped } from './token';
import { addMember, createUser, findUserByEmail, isValidEmail, normaliseEmail } from './users';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const WINDOW_SECONDS = 15 * 60;

export interface Invitation {
	/** SHA-256 of the emailed token: safe to show, it cannot be turned back into the link. */
	id: string;
	shopId: string;
	email: string;
	role: InvitableRole;
	invitedByName: string | null;
	expiresAt: Date;
	createdAt: Date;
}

export type InviteResult =
	| { ok: true; invitation: Invitation; delivery: Promise<EmailStatus> }
	| { ok: false; code: Extract<AuthErrorCode, 'email_invalid' | 'role_not_allowed' | 'already_member'> };

/**
 * Invites `email` to the shop with `role` and emails a link valid 7 days. The inviter's role is read
 * from the database (owners invite admins and staff, admins staff). Inviting the same address again
 * replaces its pending invitation, so only the newest link works.
 */
export async function inviteMember(
	sql: Sql,
	input: { shopId: string; email: string; role: InvitableRole; invitedBy: string },
	mail: MailContext,
	now: Date = new Date()
): Promise<InviteResult> {
	const email = normaliseEmail(input.email);
	if (!isValidEmail(email)) return { ok: false, code: 'email_invalid' };
	const token = generateToken();
	const result = await sql.begin(async (tx) => {
		const [inviter] = await tx<{ role: Role; name: string; email: string; shop_name: string; shop_locale: Locale }[]>`
			select m.role, u.name, u.email, s.name as shop_name, s.locale as shop_locale
			from shop_members m join users u on u.id = m.user_id join shops s on s.id = m.shop_id
			where m.shop_id = ${input.shopId} and m.user_id = ${input.invitedBy}`;
		if (!inviter || !canInvite(inviter.role, input.role)) return { ok: false, code: 'role_not_allowed' } as const;
		const [member] = await tx`
			select 1 from shop_members m join users u on u.id = m.user_id
			where m.shop_id = ${input.shopId} and lower(u.email) = ${email}`;
		if (member) return { ok: false, code: 'already_member' } as const;
		await tx`
			update invitations set revoked_at = ${now}
			where shop_id = ${input.shopId} and email = ${email} and accepted_at is null and revoked_at is null`;
		const id = hashToken(token);
		const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
		await tx`
			insert into invitations (id, shop_id, email, role, invited_by, expires_at, created_at)
			values (${id}, ${input.shopId}, ${email}, ${input.role}, ${input.invitedBy}, ${expiresAt}, ${now})`;
		const invitee = await findUserByEmail(tx, email);
		const content = invitationEmail(invitee?.locale ?? inviter.shop_locale, {
			url: `${mail.origin}/invite/${token}`,
			shopName: inviter.shop_name,
			inviterName: inviter.name || inviter.email,
			role: input.role
		});
		const emailId = await queueEmail(tx, { shopId: input.shopId, to: email, kind: 'invitation', ...content });
		const invitation: Invitation = {
			id,
			shopId: input.shopId,
			email,
			role: input.role,
			invitedByName: inviter.name || inviter.email,
			expiresAt,
			createdAt: now
		};
		return { ok: true, invitation, emailId } as const;
	});
	if (!result.ok) return result;
	return { ok: true, invitation: result.invitation, delivery: deliverEmail(sql, result.emailId, mail) };
}

/** Invitations neither accepted, revoked nor expired, newest first. */
export async function listPendingInvitations(sql: Sql, shopId: string, now: Date = new Date()): Promise<Invitation[]> {
	const rows = await sql<InvitationRow[]>`
		select i.id, i.shop_id, i.email, i.role, i.expires_at, i.created_at, coalesce(nullif(u.name, ''), u.email) as invited_by_name
		from invitations i left join users u on u.id = i.invited_by
		where i.shop_id = ${shopId} and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now}
		order by i.created_at desc, i.id`;
	return rows.map(toInvitation);
}

/** True when a pending invitation of this shop was revoked. */
export async function revokeInvitation(sql: Sql, shopId: string, invitationId: string, now: Date = new Date()): Promise<boolean> {
	const rows = await sql`
		update invitations set revoked_at = ${now}
		where shop_id = ${shopId} and id = ${invitationId} and accepted_at is null and revoked_at is null
		returning id`;
	return rows.length > 0;
}

export interface InvitationView {
	invitation: Invitation;
	shopName: string;
	/** Set when the invited address already has an account: they confirm with their password. */
	existingUser: { name: string } | null;
}

/** What an invitation link opens, while it is pending and unexpired. */
export async function findInvitation(sql: Sql, token: string, now: Date = new Date()): Promise<InvitationView | null> {
	if (!isTokenShaped(token)) return null;
	const [row] = await sql<(InvitationRow & { shop_name: string })[]>`
		select i.id, i.shop_id, i.email, i.role, i.expires_at, i.created_at, s.name as shop_name,
			coalesce(nullif(u.name, ''), u.email) as invited_by_name
		from invitations i join shops s on s.id = i.shop_id left join users u on u.id = i.invited_by
		where i.id = ${hashToken(token)} and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now}`;
	if (!row) return null;
	const existing = await findUserByEmail(sql, row.email);
	return { invitation: toInvitation(row), shopName: row.shop_name, existingUser: existing ? { name: existing.name } : null };
}

export type AcceptResult =
	| { ok: true; token: string; session: Session; shopId: string }
	| {
			ok: false;
			code: Extract<
				AuthErrorCode,
				| 'invitation_invalid'
				| 'rate_limited'
				| 'credentials_invalid'
				| 'already_member'
				| 'name_required'
				| 'name_too_long'
				| 'password_too_short'
				| 'password_too_long'
				| 'password_is_email'
				| 'email_taken'
				| 'email_invalid'
			>;
	  };

/**
 * Joins the invited shop and opens a session in it. A new address creates its account with `name` and
 * `password`; an existing account confirms with its password (rate limited like sign-in). All or nothing.
 */
export async function acceptInvitation(
	sql: Sql,
	token: string,
	input: { name: string; password: string; ip: string },
	now: Date = new Date()
): Promise<AcceptResult> {
	const view = await findInvitation(sql, token, now);
	if (!view) return { ok: false, code: 'invitation_invalid' };
	const email = view.invitation.email;
	if (view.existingUser) {
		const byIp = await hit(sql, loginIpKey(input.ip), LOGIN_IP_LIMIT, WINDOW_SECONDS, now);
		if (!byIp.allowed) return { ok: false, code: 'rate_limited' };
		const byEmail = await hit(sql, loginEmailKey(email), LOGIN_EMAIL_LIMIT, WINDOW_SECONDS, now);
		if (!byEmail.allowed) return { ok: false, code: 'rate_limited' };
	} else if (!input.name.trim()) {
		return { ok: false, code: 'name_required' };
	}
	try {
		const result = await sql.begin(async (tx) => {
			const [invitation] = await tx<{ shop_id: string; role: InvitableRole }[]>`
				select shop_id, role from invitations
				where id = ${hashToken(token)} and accepted_at is null and revoked_at is null and expires_at > ${now}
				for update`;
			if (!invitation) return { ok: false, code: 'invitation_invalid' } as const;
			let userId: string;
			const existing = await findUserByEmail(tx, email);
			if (existing) {
				if (!existing.passwordHash || !(await verifyPassword(existing.passwordHash, input.password))) {
					return { ok: false, code: 'credentials_invalid' } as const;
				}
				userId = existing.id;
			} else {
				userId = (await createUser(tx, { email, name: input.name, password: input.password })).id;
			}
			await addMember(tx, invitation.shop_id, userId, invitation.role);
			await tx`update invitations set accepted_at = ${now} where id = ${hashToken(token)}`;
			const sessionToken = generateSessionToken();
			const session = await createSession(tx, sessionToken, userId, invitation.shop_id, now);
			return { ok: true, token: sessionToken, session, shopId: invitation.shop_id, existing: Boolean(existing) } as const;
		});
		if (result.ok && result.existing) await clear(sql, loginEmailKey(email));
		if (!result.ok) return result;
		return { ok: true, token: result.token, session: result.session, shopId: result.shopId };
	} catch (error) {
		if (error instanceof AuthError) return { ok: false, code: error.code as Extract<AcceptResult, { ok: false }>['code'] };
		throw error;
	}
}

interface InvitationRow {
	id: string;
	shop_id: string;
	email: string;
	role: InvitableRole;
	invited_by_name: string | null;
	expires_at: Date;
	created_at: Date;
}

function toInvitation(row: InvitationRow): Invitation {
	return {
		id: row.id,
		shopId: row.shop_id,
		email: row.email,
		role: row.role,
		invitedByName: row.invited_by_name,
		expiresAt: row.expires_at,
		createdAt: row.created_at
	};
}
