import type { Sql } from '../db';
import type { Locale } from '../shops/service';
import type { Role } from './guard';
import { addMember, createUser, type User } from './users';

export const TEST_PASSWORD = 'correct horse battery';

/** A user with a password and a membership, for db tests. */
export async function createTestMember(
	sql: Sql,
	shopId: string,
	role: Role,
	email: string,
	options: { name?: string; locale?: Locale | null; password?: string } = {}
): Promise<User> {
	return sql.begin(async (tx) => {
		const user = await createUser(tx, {
			email,
			name: options.name ?? email.split('@')[0],
			password: options.password ?? TEST_PASSWORD,
			locale: options.locale ?? null
		});
		await addMember(tx, shopId, user.id, role);
		return user;
	}) as Promise<User>;
}

/** The token of the last link of `path` (`/reset-password/`, `/invite/`) emailed to `to`. */
export async function lastEmailedToken(sql: Sql, to: string, path: string): Promise<string> {
	const [row] = await sql<{ text_body: string }[]>`
		select text_body from emails where to_address = ${to} order by created_at desc, id desc limit 1`;
	const match = row && new RegExp(`${path}([a-z2-7]{32})`).exec(row.text_body);
	if (!match) throw new Error(`No email to ${to} with a ${path} link`);
	return match[1];
}
