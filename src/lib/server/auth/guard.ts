import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

export type Role = 'owner' | 'admin' | 'staff';

/** Who may open what, by SvelteKit route id prefix. The hook checks it; every action checks again. */
export const ROUTE_ROLES: { prefix: string; roles: readonly Role[] }[] = [
	{ prefix: '/(admin)/admin/api-keys', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/webhooks', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/imports', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/team', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/outbox', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/devices', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/policy', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin/risk-lists', roles: ['owner', 'admin'] },
	{ prefix: '/(admin)/admin', roles: ['owner', 'admin', 'staff'] }
];

export function rolesFor(routeId: string | null): readonly Role[] | null {
	if (!routeId) return null;
	return ROUTE_ROLES.find((r) => routeId === r.prefix || routeId.startsWith(r.prefix + '/'))?.roles ?? null;
}

export interface Member {
	user: NonNullable<App.Locals['user']>;
	shop: NonNullable<App.Locals['shop']>;
	role: Role;
}

/**
 * For loads and actions: the signed-in member with one of `roles`, or a redirect to sign-in (not signed
 * in) or a 403 (signed in without the role). Actions run before layout loads, so each calls this itself.
 */
export function requireRole(locals: App.Locals, roles: readonly Role[], url?: URL): Member {
	if (!locals.user || !locals.shop || !locals.role) {
		const next = url ? `?next=${encodeURIComponent(url.pathname + url.search)}` : '';
		redirect(303, `/login${next}`);
	}
	if (!roles.includes(locals.role)) error(403, { message: m.auth_error_forbidden() });
	return { user: locals.user, shop: locals.shop, role: locals.role };
}
