import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { createTestShop } from '../test-fixtures';
import { acceptInvitation, findInvitation, inviteMember, listPendingInvitations, revokeInvitation } from './invitations';
import { signIn } from './login';
import { validateSessionToken } from './session';
import { createTestMember, lastEmailedToken, TEST_PASSWORD } from './test-support';
import { listMembers, type User } from './users';

const DAY = 24 * 60 * 60 * 1000;
let t: TestDatabase;
let shop: Shop;
let owner: User;
let admin: User;
const mail = { origin: 'https://returns.example', smtpUrl: null };

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await createTestShop(t.sql, 'invite-shop');
	owner = await createTestMember(t.sql, shop.id, 'owner', 'owner@invite.test', { name: 'Odile' });
	admin = await createTestMember(t.sql, shop.id, 'admin', 'admin@invite.test', { name: 'Adam' });
});
afterAll(() => t.close());

const roleOf = async (email: string) => (await listMembers(t.sql, shop.id)).find((m) => m.email === email)?.role;

describe('inviteMember', () => {
	it('emails a 7-day link in the shop’s language and lists the invitation as pending', async () => {
		const now = new Date();
		const result = await inviteMember(t.sql, { shopId: shop.id, email: ' New.Admin@Invite.test ', role: 'admin', invitedBy: owner.id }, mail, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await result.delivery).toBe('outbox');
		expect(result.invitation).toMatchObject({ email: 'new.admin@invite.test', role: 'admin', invitedByName: 'Odile' });
		expect(result.invitation.expiresAt.getTime() - now.getTime()).toBe(7 * DAY);

		const [email] = await t.sql`select * from emails where to_address = 'new.admin@invite.test'`;
		expect(email).toMatchObject({ shop_id: shop.id, kind: 'invitation', status: 'outbox' });
		expect(email.subject).toBe('Vous êtes invité à rejoindre Test Shop sur Retour');
		expect(email.text_body).toContain('Odile vous invite');
		const token = await lastEmailedToken(t.sql, 'new.admin@invite.test', '/invite/');
		expect(email.text_body).toContain(`https://returns.example/invite/${token}`);

		const pending = await listPendingInvitations(t.sql, shop.id);
		expect(pending.map((i) => i.email)).toContain('new.admin@invite.test');
	});

	it('lets an admin invite staff but not an admin', async () => {
		expect(await inviteMember(t.sql, { shopId: shop.id, email: 'x@invite.test', role: 'admin', invitedBy: admin.id }, mail)).toEqual({
			ok: false,
			code: 'role_not_allowed'
		});
		const staff = await inviteMember(t.sql, { shopId: shop.id, email: 'x@invite.test', role: 'staff', invitedBy: admin.id }, mail);
		expect(staff.ok).toBe(true);
	});

	it('refuses someone already on the team, a bad address, and a stranger inviting', async () => {
		expect(await inviteMember(t.sql, { shopId: shop.id, email: 'ADMIN@invite.test', role: 'staff', invitedBy: owner.id }, mail)).toEqual({
			ok: false,
			code: 'already_member'
		});
		expect(await inviteMember(t.sql, { shopId: shop.id, email: 'not an email', role: 'staff', invitedBy: owner.id }, mail)).toEqual({
			ok: false,
			code: 'email_invalid'
		});
		const other = await createTestShop(t.sql, 'invite-other');
		const stranger = await createTestMember(t.sql, other.id, 'owner', 'stranger@invite.test');
		expect(await inviteMember(t.sql, { shopId: shop.id, email: 'y@invite.test', role: 'staff', invitedBy: stranger.id }, mail)).toEqual({
			ok: false,
			code: 'role_not_allowed'
		});
	});
});

describe('acceptInvitation', () => {
	it('creates the account and the membership with the invited role, and signs in', async () => {
		await inviteMember(t.sql, { shopId: shop.id, email: 'nora@invite.test', role: 'staff', invitedBy: owner.id }, mail);
		const token = await lastEmailedToken(t.sql, 'nora@invite.test', '/invite/');
		const view = await findInvitation(t.sql, token);
		expect(view).toMatchObject({ shopName: 'Test Shop', existingUser: null, invitation: { email: 'nora@invite.test', role: 'staff' } });

		expect(await acceptInvitation(t.sql, token, { name: ' ', password: TEST_PASSWORD, ip: '10.0.0.1' })).toEqual({
			ok: false,
			code: 'name_required'
		});
		expect(await acceptInvitation(t.sql, token, { name: 'Nora', password: 'short', ip: '10.0.0.1' })).toEqual({
			ok: false,
			code: 'password_too_short'
		});
		expect(await roleOf('nora@invite.test')).toBeUndefined();

		const result = await acceptInvitation(t.sql, token, { name: 'Nora', password: TEST_PASSWORD, ip: '10.0.0.1' });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await roleOf('nora@invite.test')).toBe('staff');
		const session = await validateSessionToken(t.sql, result.token);
		expect(session).toMatchObject({ role: 'staff', user: { email: 'nora@invite.test', name: 'Nora' } });
		expect(session?.shop.id).toBe(shop.id);

		// Single use.
		expect(await findInvitation(t.sql, token)).toBeNull();
		expect(await acceptInvitation(t.sql, token, { name: 'Nora', password: TEST_PASSWORD, ip: '10.0.0.1' })).toEqual({
			ok: false,
			code: 'invitation_invalid'
		});
		expect((await listPendingInvitations(t.sql, shop.id)).map((i) => i.email)).not.toContain('nora@invite.test');
	});

	it('lets an existing account join with its own password', async () => {
		const other = await createTestShop(t.sql, 'invite-home');
		await createTestMember(t.sql, other.id, 'owner', 'paul@invite.test', { name: 'Paul' });
		await inviteMember(t.sql, { shopId: shop.id, email: 'paul@invite.test', role: 'admin', invitedBy: owner.id }, mail);
		const token = await lastEmailedToken(t.sql, 'paul@invite.test', '/invite/');
		expect((await findInvitation(t.sql, token))?.existingUser).toEqual({ name: 'Paul' });

		expect(await acceptInvitation(t.sql, token, { name: '', password: 'not my password', ip: '10.0.0.2' })).toEqual({
			ok: false,
			code: 'credentials_invalid'
		});
		const result = await acceptInvitation(t.sql, token, { name: '', password: TEST_PASSWORD, ip: '10.0.0.2' });
		expect(result.ok && result.shopId).toBe(shop.id);
		expect(await roleOf('paul@invite.test')).toBe('admin');
		// Signing in still opens the first shop joined.
		const signedIn = await signIn(t.sql, { email: 'paul@invite.test', password: TEST_PASSWORD, ip: '10.0.0.2' });
		expect(signedIn.ok && (await validateSessionToken(t.sql, signedIn.token))?.shop.id).toBe(other.id);
	});

	it('refuses a revoked, a replaced and an expired invitation', async () => {
		const now = new Date();
		await inviteMember(t.sql, { shopId: shop.id, email: 'quinn@invite.test', role: 'staff', invitedBy: owner.id }, mail, now);
		const first = await lastEmailedToken(t.sql, 'quinn@invite.test', '/invite/');
		const again = await inviteMember(t.sql, { shopId: shop.id, email: 'quinn@invite.test', role: 'staff', invitedBy: owner.id }, mail, now);
		const second = await lastEmailedToken(t.sql, 'quinn@invite.test', '/invite/');
		expect(await findInvitation(t.sql, first)).toBeNull();
		expect(await findInvitation(t.sql, second)).not.toBeNull();
		expect((await listPendingInvitations(t.sql, shop.id)).filter((i) => i.email === 'quinn@invite.test')).toHaveLength(1);

		expect(await findInvitation(t.sql, second, new Date(now.getTime() + 7 * DAY))).toBeNull();
		expect(
			await acceptInvitation(t.sql, second, { name: 'Quinn', password: TEST_PASSWORD, ip: '10.0.0.3' }, new Date(now.getTime() + 7 * DAY))
		).toEqual({ ok: false, code: 'invitation_invalid' });

		const other = await createTestShop(t.sql, 'invite-revoker');
		expect(again.ok && (await revokeInvitation(t.sql, other.id, again.invitation.id))).toBe(false);
		expect(again.ok && (await revokeInvitation(t.sql, shop.id, again.invitation.id))).toBe(true);
		expect(await acceptInvitation(t.sql, second, { name: 'Quinn', password: TEST_PASSWORD, ip: '10.0.0.3' })).toEqual({
			ok: false,
			code: 'invitation_invalid'
		});
		expect(await roleOf('quinn@invite.test')).toBeUndefined();
	});
});
