import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { addListEntry, countListEntries, isRiskListKind, listEntries, removeListEntry, RiskListError, type RiskList } from '$lib/server/risk/lists';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;
const FIELDS = ['list', 'kind', 'value', 'line1', 'line2', 'postcode', 'country', 'reason'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const list: RiskList = url.searchParams.get('list') === 'allow' ? 'allow' : 'block';
	const kind = url.searchParams.get('kind');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const [entries, counts] = await Promise.all([listEntries(db(), shop.id, { list, q }), countListEntries(db(), shop.id)]);
	// ?remove=<id> asks for confirmation first, without JavaScript.
	const confirming = entries.find((e) => e.id === url.searchParams.get('remove')) ?? null;
	return {
		list,
		q,
		// The kind the add form opens with; without JavaScript, choosing another reloads the page with it.
		kind: isRiskListKind(kind) ? kind : 'email',
		entries,
		counts,
		confirming: confirming && { id: confirming.id, kind: confirming.kind, label: confirming.label },
		shopCountry: shop.country,
		timeZone: shop.timezone
	};
};

/** The error beside its field, in the merchant's language. */
function entryErrorMessage(e: RiskListError, kind: string): string {
	switch (e.code) {
		case 'invalid_list':
			return m.risk_lists_error_list();
		case 'invalid_kind':
			return m.risk_lists_error_kind();
		case 'invalid_email':
			return m.risk_lists_error_email();
		case 'invalid_address':
			return m.risk_lists_error_street();
		case 'invalid_country':
			return m.risk_lists_error_country();
		case 'too_long':
			return m.risk_lists_error_too_long();
		case 'already_listed': {
			const label = { label: e.existing?.label ?? '' };
			return e.existing?.list === 'allow' ? m.risk_lists_error_on_allow(label) : m.risk_lists_error_on_block(label);
		}
		case 'required':
			if (e.field === 'reason') return m.risk_lists_error_reason();
			if (e.field === 'line1') return m.risk_lists_error_line1();
			return kind === 'order' ? m.risk_lists_error_order() : kind === 'product' ? m.risk_lists_error_sku() : m.risk_lists_error_email();
	}
}

export const actions: Actions = {
	add: async ({ locals, url, request }) => {
		const { user, shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? '')])) as Record<(typeof FIELDS)[number], string>;
		try {
			const entry = await addListEntry(db(), shop.id, values, user.id);
			const added = { label: entry.label };
			const success = entry.list === 'block' ? m.risk_lists_added_block(added) : m.risk_lists_added_allow(added);
			const note = entry.known ? null : entry.kind === 'order' ? m.risk_lists_unknown_order() : m.risk_lists_unknown_product();
			return { action: 'add' as const, success, note };
		} catch (e) {
			if (!(e instanceof RiskListError)) throw e;
			return fail(400, { action: 'add' as const, values, field: e.field, error: entryErrorMessage(e, values.kind) });
		}
	},

	remove: async ({ locals, url, request }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const id = String((await request.formData()).get('id') ?? '');
		const removed = await removeListEntry(db(), shop.id, id);
		if (!removed) return fail(404, { action: 'remove' as const, error: m.risk_lists_gone() });
		const label = { label: removed.label };
		return { action: 'remove' as const, success: removed.list === 'allow' ? m.risk_lists_removed_allow(label) : m.risk_lists_removed_block(label) };
	}
};
