import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { activatePolicyVersion, getPolicyVersion, livePolicy, PolicyVersionError } from '$lib/server/policy/versions';
import { previewOnOrder } from '$lib/server/policy/workbench';
import { listSelectableReasons } from '$lib/server/shops/service';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const version = await getPolicyVersion(db(), shop.id, params.id);
	if (!version) error(404, { message: m.policy_error_not_found() });
	const [reasons, live] = await Promise.all([listSelectableReasons(db(), shop.id), livePolicy(db(), shop.id)]);
	const orderNumber = url.searchParams.get('order')?.trim() ?? '';
	const wanted = url.searchParams.get('reason') ?? '';
	const fallback = reasons.find((r) => r.code === 'changed_mind') ?? reasons[0];
	const reason = reasons.some((r) => r.code === wanted) ? wanted : (fallback?.code ?? 'changed_mind');
	const preview = orderNumber ? await previewOnOrder(db(), shop.id, { versionId: version.id, policy: version.policy }, orderNumber, reason) : null;
	return {
		version,
		liveNumber: live.number,
		reasons,
		currency: shop.currency,
		timeZone: shop.timezone,
		saved: url.searchParams.has('saved'),
		activated: url.searchParams.has('activated'),
		previewQuery: { order: orderNumber, reason },
		preview
	};
};

export const actions: Actions = {
	activate: async ({ locals, url, params }) => {
		const { shop, user } = requireRole(locals, ROLES, url);
		try {
			await activatePolicyVersion(db(), shop.id, params.id, { userId: user.id, email: user.email });
		} catch (e) {
			if (e instanceof PolicyVersionError) return fail(400, { activateError: e.code });
			throw e;
		}
		redirect(303, `/admin/policy/versions/${params.id}?activated=1`);
	}
};
