import type { Queryable, Sql } from '../db';
import type { Locale } from '../shops/service';
import { AuthError } from './errors';
import type { Role } from './guard';
import { checkPasswordStrength, hashPassword } from './password';
import { removalProblem } from './roles';

export interface User {
	id: string;
	email: string;
	name: string;
	locale: Locale | null;
	createdAt: Date;
}

export interface NewUser {
	email: string;
	name: string;
	password: string;
	locale?: Locale | null;
}

export interface ShopMember {
	userId: string;
	email: string;
	name: string;
	role: Role;
	joinedAt: Date;
}

export const NAME_MAX_LENGTH = 200;
const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+$/;

/** Emails are stored trimmed and lowercased; the schema's unique index is on lower(email) as well. */
export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
	return email.length <= 254 && EMAIL_FORMAT.test(email);
}

/**
 * A user with an argon2id password. Checks run before any write, and the function only queries, so it
 * can run inside a caller's transaction (the demo seed creates its owner this way).
 */
export async function createUser(sql: Queryable, input: NewUser): Promise<User> {
	const email = normaliseEmail(input.email);
	const name = input.name.trim();
	if (!isValidEmail(email)) throw new AuthError('email_invalid');
	if (name.length > NAME_MAX_LENGTH) throw new AuthError('name_too_long');
	const problem = checkPasswordStrength(input.password, email);
	if (problem) throw new AuthError(problem);
	if (await findUserByEmail(sql, email)) throw new AuthError('email_taken');
	const passwordHash = await hashPassword(input.password);
	const [row] = await sql<UserRow[]>`
		insert into users (email, name, password_hash, locale)
		values (${email}, ${name}, ${passwordHash}, ${input.locale ?? null})
		on conflict do nothing
		returning id, email, name, locale, created_at`;
	// A concurrent sign-up with the same address won the race.
	if (!row) throw new AuthError('email_taken');
	return toUser(row);
}

export async function addMember(sql: Queryable, shopId: string, userId: string, role: Role): Promise<void> {
	const rows = await sql`
		insert into shop_members (shop_id, user_id, role) values (${shopId}, ${userId}, ${role})
		on conflict (shop_id, user_id) do nothing
		returning user_id`;
	if (rows.length === 0) throw new AuthError('already_member');
}

export async function findUserByEmail(
	sql: Queryable,
	email: string
): Promise<(User & { passwordHash: string | null }) | undefined> {
	const [row] = await sql<(UserRow & { password_hash: string | null })[]>`
		select id, email, name, locale, created_at, password_hash from users where lower(email) = ${normaliseEmail(email)}`;
	return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function getUser(sql: Queryable, id: string): Promise<User | undefined> {
	const [row] = await sql<UserRow[]>`select id, email, name, locale, created_at from users where id = ${id}`;
	return row ? toUser(row) : undefined;
}

/** The shop a sign-in opens: the user's oldest membership. */
export async function firstMembership(
	sql: Queryable,
	userId: string
): Promise<{ shopId: string; role: Role; shopLocale: Locale } | undefined> {
	const [row] = await sql<{ shop_id: string; role: Role; locale: Locale }[]>`
		select m.shop_id, m.role, s.locale from shop_members m join shops s on s.id = m.shop_id
		where m.user_id = ${userId} order by m.created_at, m.shop_id limit 1`;
	return row ? { shopId: row.shop_id, role: row.role, shopLocale: row.locale } : undefined;
}

/** Sets a new password (after the strength rule) without touching sessions: callers decide that. */
export async function setPassword(sql: Queryable, user: Pick<User, 'id' | 'email'>, password: string): Promise<void> {
	const problem = checkPasswordStrength(password, user.email);
	if (problem) throw new AuthError(problem);
	const passwordHash = await hashPassword(password);
	await sql`update users set password_hash = ${passwordHash}, updated_at = now() where id = ${user.id}`;
}

export async function listMembers(sql: Queryable, shopId: string): Promise<ShopMember[]> {
	const rows = await sql<{ user_id: string; email: string; name: string; role: Role; created_at: Date }[]>`
		select m.user_id, u.email, u.name, m.role, m.created_at
		from shop_members m join users u on u.id = m.user_id
		where m.shop_id = ${shopId}
		order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, lower(u.email)`;
	return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, joinedAt: r.created_at }));
}

/**
 * Removes a member (their sessions for this shop go with the membership, by cascade). The actor's role is
 * read from the locked memberships, so two owners removing each other cannot leave the shop without one.
 */
export async function removeMember(
	sql: Sql,
	shopId: string,
	actorUserId: string,
	targetUserId: string
): Promise<void> {
	await sql.begin(async (tx) => {
		const members = await tx<{ user_id: string; role: Role }[]>`
			select user_id, role from shop_members where shop_id = ${shopId} order by user_id for update`;
		const actor = members.find((m) => m.user_id === actorUserId);
		if (!actor) throw new AuthError('role_not_allowed');
		const target = members.find((m) => m.user_id === targetUserId);
		if (!target) throw new AuthError('member_not_found');
		const problem = removalProblem({
			actorUserId,
			actorRole: actor.role,
			targetUserId,
			targetRole: target.role,
			ownerCount: members.filter((m) => m.role === 'owner').length
		});
		if (problem) throw new AuthError(problem);
		await tx`delete from shop_members where shop_id = ${shopId} and user_id = ${targetUserId}`;
	});
}

interface UserRow {
	id: string;
	email: string;
	name: string;
	locale: Locale | null;
	created_at: Date;
}

function toUser(row: UserRow): User {
	return { id: row.id, email: row.email, name: row.name, locale: row.locale, createdAt: row.created_at };
}
