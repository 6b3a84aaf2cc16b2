import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { getPolicyVersion } from '$lib/server/policy/versions';
import { simulateAgainstLive } from '$lib/server/policy/workbench';
import type { PageServerLoad } from './$types';

const PERIODS = [1, 3, 6, 12, 24];

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ['owner', 'admin'], url);
	const version = await getPolicyVersion(db(), shop.id, params.id);
	if (!version) error(404, { message: m.policy_error_not_found() });
	const wanted = Number(url.searchParams.get('months') ?? 6);
	const months = PERIODS.includes(wanted) ? wanted : 6;
	const simulation = await simulateAgainstLive(db(), shop.id, version.policy, months);
	return { version: { id: version.id, number: version.number }, months, periods: PERIODS, simulation, currency: shop.currency };
};
