import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { editRules, policyFromValues, policyToValues, valuesFromForm, type FormErrors, type RuleEdit } from '$lib/server/policy/form';
import { getPolicyVersion, listPolicyVersions, livePolicy, PolicyVersionError, savePolicyVersion } from '$lib/server/policy/versions';
import { listSelectableReasons } from '$lib/server/shops/service';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const from = url.searchParams.get('from');
	const base = from ? await getPolicyVersion(db(), shop.id, from) : await livePolicy(db(), shop.id);
	if (!base) error(404, { message: m.policy_error_not_found() });
	const version = 'versionId' in base ? { id: base.versionId, number: base.number } : { id: base.id, number: base.number };
	const [latest] = await listPolicyVersions(db(), shop.id);
	return {
		basedOn: version,
		latestNumber: latest?.number ?? version.number,
		values: policyToValues(base.policy, shop.currency),
		reasons: await listSelectableReasons(db(), shop.id),
		currency: shop.currency
	};
};

/** Adding, removing or moving a rule re-renders the form with what was typed, saving nothing. */
const edit = (kind: RuleEdit['kind']) =>
	(async ({ locals, request, url }) => {
		requireRole(locals, ROLES, url);
		const form = await request.formData();
		const index = Number(form.get('index'));
		const values = editRules(valuesFromForm(form), kind === 'add' ? { kind } : { kind, index });
		return { values, errors: {} as FormErrors, edited: kind };
	}) satisfies Actions[string];

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const { shop, user } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const values = valuesFromForm(form);
		const parsed = policyFromValues(values, shop.currency);
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors, edited: null });
		let saved;
		try {
			saved = await savePolicyVersion(db(), shop.id, parsed.policy, { userId: user.id, email: user.email }, String(form.get('basedOn') ?? '') || null);
		} catch (e) {
			if (!(e instanceof PolicyVersionError)) throw e;
			const errors: FormErrors = Object.fromEntries(e.issues.map((i) => [i.path, { code: 'invalid' as const, message: i.message }]));
			return fail(400, { values, errors: Object.keys(errors).length ? errors : { form: { code: 'invalid' as const, message: e.message } }, edited: null });
		}
		redirect(303, `/admin/policy/versions/${saved.id}?saved=1`);
	},
	addRule: edit('add'),
	removeRule: edit('remove'),
	moveUp: edit('up'),
	moveDown: edit('down')
};
