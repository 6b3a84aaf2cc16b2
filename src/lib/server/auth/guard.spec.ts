import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { requireRole, rolesFor } from './guard';

describe('rolesFor', () => {
	it('protects the admin area by route id, with the team and outbox for owners and admins', () => {
		expect(rolesFor('/(admin)/admin/team')).toEqual(['owner', 'admin']);
		expect(rolesFor('/(admin)/admin/outbox/[id]')).toEqual(['owner', 'admin']);
		expect(rolesFor('/(admin)/admin/orders')).toEqual(['owner', 'admin', 'staff']);
		expect(rolesFor('/(auth)/login')).toBeNull();
		expect(rolesFor('/(admin)/administrator')).toBeNull();
		expect(rolesFor(null)).toBeNull();
	});
});

describe('requireRole', () => {
	const shop = { id: 's' } as App.Locals['shop'];
	const user = { id: 'u', email: 'u@example.com', name: 'U' };
	const catchIt = (fn: () => unknown) => {
		try {
			fn();
		} catch (e) {
			return e;
		}
		throw new Error('did not throw');
	};

	it('sends a signed-out visitor to sign-in with a way back', () => {
		const e = catchIt(() =>
			requireRole({ user: null, session: null, shop: null, role: null }, ['owner'], new URL('http://x/admin/team?tab=1'))
		);
		expect(isRedirect(e) && e.status === 303 && e.location).toBe('/login?next=%2Fadmin%2Fteam%3Ftab%3D1');
	});

	it('answers 403 to a member without the role, and returns the member otherwise', () => {
		const locals = { user, session: null, shop, role: 'staff' as const };
		const e = catchIt(() => requireRole(locals, ['owner', 'admin']));
		expect(isHttpError(e, 403)).toBe(true);
		expect(requireRole(locals, ['owner', 'admin', 'staff'])).toEqual({ user, shop, role: 'staff' });
	});
});
