import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { CONDITIONS, DISPOSITIONS, MAX_PHOTOS_PER_LINE, stopsRefund } from '$lib/server/inspection/rules';
import { findReturnByScan, InspectionError, recordInspection, type InspectionLine, type InspectionOutcome } from '$lib/server/inspection/service';
import { issuesByLine, type LineValues } from './form-errors';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin', 'staff'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const code = (url.searchParams.get('code') ?? '').trim();
	const base = { code, conditions: [...CONDITIONS], dispositions: [...DISPOSITIONS], maxPhotos: MAX_PHOTOS_PER_LINE, timeZone: shop.timezone };
	if (!code) return { ...base, scanned: null, scanError: null };
	try {
		const scanned = await findReturnByScan(db(), shop.id, code);
		// Which findings would hold each line's refund, so the form says it before it is sent.
		const holding = Object.fromEntries(scanned.lines.map((l) => [l.id, CONDITIONS.filter((c) => stopsRefund(c, l.reasonCode))]));
		return { ...base, scanned, holding, scanError: null };
	} catch (e) {
		if (!(e instanceof InspectionError)) throw e;
		return { ...base, scanned: null, scanError: e.code === 'invalid_code' ? m.warehouse_scan_empty() : m.warehouse_scan_not_found({ code }) };
	}
};

/** The lines as the form sends them: `line` lists the ids, each line's fields carry its id. */
async function readLines(form: FormData): Promise<{ lines: InspectionLine[]; values: Record<string, LineValues> }> {
	const text = (name: string) => String(form.get(name) ?? '').trim();
	const lines: InspectionLine[] = [];
	const values: Record<string, LineValues> = {};
	for (const id of form.getAll('line').map(String)) {
		const v: LineValues = { condition: text(`condition-${id}`), disposition: text(`disposition-${id}`), note: text(`note-${id}`), restock: text(`restock-${id}`) };
		values[id] = v;
		const files = form.getAll(`photos-${id}`).filter((f): f is File => f instanceof File && (f.size > 0 || f.name !== ''));
		lines.push({
			returnLineId: id,
			condition: v.condition,
			disposition: v.disposition || null,
			note: v.note || null,
			restockQuantity: v.disposition === 'restock' && v.restock ? Number(v.restock) : null,
			photos: await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())))
		});
	}
	return { lines, values };
}

function resultMessage(o: InspectionOutcome): string {
	const main =
		o.released === 'refund'
			? m.warehouse_result_refund_released({ rma: o.rma })
			: o.released === 'store_credit'
				? m.warehouse_result_credit_issued({ rma: o.rma })
				: o.held
					? o.paidBefore
						? m.warehouse_result_held_paid_before({ rma: o.rma })
						: m.warehouse_result_held({ rma: o.rma })
					: m.warehouse_result_recorded({ rma: o.rma });
	return o.restocked > 0 ? `${main} ${m.warehouse_result_restocked({ count: o.restocked })}` : main;
}

export const actions: Actions = {
	inspect: async ({ locals, url, request }) => {
		const { shop, user } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const returnId = String(form.get('returnId') ?? '');
		const { lines, values } = await readLines(form);
		try {
			const outcome = await recordInspection(db(), { shopId: shop.id, returnId, lines }, { kind: 'staff', id: user.id });
			return {
				action: 'inspect' as const,
				returnId,
				success: resultMessage(outcome),
				outcome: { rma: outcome.rma, held: outcome.held, released: outcome.released, restocked: outcome.restocked, photos: outcome.photos }
			};
		} catch (e) {
			if (!(e instanceof InspectionError)) throw e;
			const errors = issuesByLine(e.issues, lines);
			return fail(e.code === 'return_not_found' ? 404 : 400, {
				action: 'inspect' as const,
				returnId,
				field: e.field ?? null,
				error: errors.general.length ? errors.general.join(' ') : m.warehouse_error_form(),
				errors: errors.lines,
				values
			});
		}
	}
};
