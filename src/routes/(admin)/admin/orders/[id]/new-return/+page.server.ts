import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { PolicyRefusal } from '$lib/server/policy/decide';
import { ReturnError } from '$lib/server/returns/service';
import { createReturnForCustomer, type StaffReturnRequest } from '$lib/server/staff/actions';
import { loadNewReturnForm } from '$lib/server/staff/return-view';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin', 'staff'] as const;
const RESOLUTIONS = ['refund', 'store_credit'] as const;
const METHODS = ['label', 'drop_off', 'keep'] as const;
const COMMENT_MAX_LENGTH = 2000;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const form = await loadNewReturnForm(db(), shop.id, params.id);
	if (!form) error(404, { message: m.catalogue_order_not_found() });
	return { ...form, limits: { comment: COMMENT_MAX_LENGTH } };
};

/** What was posted, as typed, so a refused form comes back as it was sent. */
interface NewReturnValues {
	selected: string[];
	quantity: Record<string, string>;
	reason: Record<string, string>;
	comment: Record<string, string>;
	resolution: string;
	method: string;
}

export const actions: Actions = {
	default: async ({ locals, url, params, request }) => {
		const { shop, user } = requireRole(locals, ROLES, url);
		const data = await request.formData();
		const text = (name: string) => String(data.get(name) ?? '');
		const selected = [...new Set(data.getAll('line').map(String))];
		const values: NewReturnValues = { selected, quantity: {}, reason: {}, comment: {}, resolution: text('resolution'), method: text('method') };
		for (const id of selected) {
			values.quantity[id] = text(`quantity-${id}`);
			values.reason[id] = text(`reason-${id}`);
			values.comment[id] = text(`comment-${id}`);
		}

		const errors: Record<string, string> = {};
		if (selected.length === 0) errors.lines = m.review_new_error_no_lines();
		for (const id of selected) {
			const quantity = Number(values.quantity[id]);
			if (!Number.isInteger(quantity) || quantity < 1) errors[`quantity-${id}`] = m.review_new_error_quantity();
			if (!values.reason[id]) errors[`reason-${id}`] = m.review_new_error_reason();
			if (values.comment[id].trim().length > COMMENT_MAX_LENGTH) errors[`comment-${id}`] = m.review_new_error_comment({ max: COMMENT_MAX_LENGTH });
		}
		if (!(RESOLUTIONS as readonly string[]).includes(values.resolution)) errors.resolution = m.review_new_error_resolution();
		if (!(METHODS as readonly string[]).includes(values.method)) errors.method = m.review_new_error_method();
		if (Object.keys(errors).length) return fail(400, { values, errors, refusal: null });

		let returnId: string;
		try {
			const created = await createReturnForCustomer(
				db(),
				{
					shopId: shop.id,
					orderId: params.id,
					resolution: values.resolution as StaffReturnRequest['resolution'],
					method: values.method as StaffReturnRequest['method'],
					lines: selected.map((id) => ({ orderLineId: id, quantity: Number(values.quantity[id]), reasonCode: values.reason[id], comment: values.comment[id] }))
				},
				user.id
			);
			returnId = created.id;
		} catch (e) {
			// Refusals name the line as lines[i]: the i-th item chosen.
			const lineOf = (field: string | undefined) => {
				const i = /^lines\[(\d+)\]/.exec(field ?? '')?.[1];
				return i === undefined ? null : (selected[Number(i)] ?? null);
			};
			if (e instanceof PolicyRefusal) {
				const message = {
					not_eligible: m.review_refusal_not_eligible,
					resolution_not_offered: m.review_refusal_resolution_not_offered,
					keep_not_allowed: m.review_refusal_keep_not_allowed,
					quote_mismatch: m.review_refusal_quote_mismatch
				}[e.code]();
				return fail(409, { values, errors: {}, refusal: { code: e.code, lineId: lineOf(e.field), message, detail: e.message } });
			}
			if (e instanceof ReturnError) {
				if (e.code === 'order_not_found') error(404, { message: m.catalogue_order_not_found() });
				const lineId = lineOf(e.field);
				const onReason = e.code === 'unknown_reason' || e.code === 'reason_not_selectable';
				if (lineId) {
					const field = onReason ? `reason-${lineId}` : `quantity-${lineId}`;
					return fail(409, { values, errors: { [field]: onReason ? m.review_new_error_reason() : m.review_new_error_quantity() }, refusal: null });
				}
				return fail(409, { values, errors: {}, refusal: { code: e.code, lineId: null, message: m.review_refusal_other(), detail: e.message } });
			}
			throw e;
		}
		redirect(303, `/admin/returns/${returnId}`);
	}
};
