import { createHash } from 'node:crypto';
import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { checkPhoto, PhotoError, type PhotoType } from '../conversation/photos';
import { recordEvent, type Actor } from '../returns/events';
import { afterTransition } from '../returns/fulfilment';
import { checkTransition, type DecisionStatus, type ReceptionStatus } from '../returns/lifecycle';
import { normalizeRma } from '../returns/rma';
import { transitionReturn } from '../returns/service';
import {
	summarizeFindings,
	validateInspection,
	type Condition,
	type Disposition,
	type Findings,
	type InspectionIssueCode,
	type InspectionLineInput
} from './rules';

/**
 * The warehouse's side of a return: find it from what is scanned on the parcel, then record what came back,
 * line by line, in one transaction with the parcel's arrival, the stock put back on sale, the photos, and what
 * the findings call for (the refund released, or held for a person).
 */

export type InspectionErrorCode = InspectionIssueCode | 'invalid_code' | 'return_not_found' | 'return_closed' | 'no_parcel_expected' | 'invalid_photo';

/** A refusal the caller can show: what is wrong, the input field it concerns, and every issue of the input. */
export class InspectionError extends Error {
	constructor(
		readonly code: InspectionErrorCode,
		message: string,
		readonly field?: string,
		readonly issues: { code: InspectionErrorCode; field: string; message: string }[] = field ? [{ code, field, message }] : []
	) {
		super(message);
		this.name = 'InspectionError';
	}
}

export interface InspectionRecord {
	condition: Condition;
	disposition: Disposition | null;
	restockedQuantity: number;
	stopsRefund: boolean;
	note: string | null;
	inspectedBy: string | null;
	inspectedAt: Date;
	photoIds: string[];
}

export interface ScannedLine {
	id: string;
	/** 1-based, in the order's line order: "line 2" to staff. */
	position: number;
	quantity: number;
	title: string;
	variantTitle: string | null;
	sku: string | null;
	/** Whether restocking can put it back on sale (the order line names one of the shop's variants). */
	hasVariant: boolean;
	reasonCode: string;
	reasonLabel: { en: string; fr: string };
	/** What the customer wrote about the item. */
	comment: string | null;
	inspection: InspectionRecord | null;
}

export interface ScannedReturn {
	id: string;
	rma: string;
	orderId: string;
	orderNumber: string;
	receptionStatus: ReceptionStatus;
	decisionStatus: DecisionStatus;
	returnMethod: 'label' | 'drop_off' | 'keep' | null;
	refundTiming: 'at_approval' | 'at_drop_off' | 'after_inspection' | null;
	trackingNumber: string | null;
	/** What the scanned code matched. */
	matchedBy: 'rma' | 'tracking_number';
	lines: ScannedLine[];
	/** Every line has its inspection. */
	inspected: boolean;
	/** Photos the customer sent in the conversation that made the return. */
	customerPhotoCount: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RMA_INSIDE = /R-?[0-9A-Z]{4}-?[0-9A-Z]{4}/i;

/**
 * The return a scanned or typed code names: its RMA (what the label's Code 128 and QR code and the drop-off QR
 * code encode; case, dashes and look-alike letters forgiven) or the carrier's tracking number.
 */
export async function findReturnByScan(sql: Queryable, shopId: string, code: string): Promise<ScannedReturn> {
	const raw = code.trim();
	if (!raw) throw new InspectionError('invalid_code', 'Scan the parcel’s label or type its RMA or tracking number', 'code');
	if (raw.length > 200) throw new InspectionError('invalid_code', 'This code is too long to be an RMA or a tracking number', 'code');

	const rma = normalizeRma(raw) ?? normalizeRma(RMA_INSIDE.exec(raw)?.[0] ?? '');
	if (rma) {
		const [hit] = await sql<{ id: string }[]>`select id from returns where shop_id = ${shopId} and rma = ${rma}`;
		if (hit) return (await loadScannedReturn(sql, shopId, hit.id, 'rma'))!;
	}
	const tracking = raw.replace(/\s+/g, '').toUpperCase();
	const [byTracking] = await sql<{ return_id: string }[]>`
		select return_id from return_labels
		where shop_id = ${shopId} and upper(replace(tracking_number, ' ', '')) = ${tracking}
		order by created_at desc limit 1`;
	if (byTracking) return (await loadScannedReturn(sql, shopId, byTracking.return_id, 'tracking_number'))!;
	throw new InspectionError('return_not_found', `No return of this shop has the RMA or tracking number “${raw}”`, 'code');
}

/** The return as the warehouse sees it; undefined when it is not this shop's. */
export async function loadScannedReturn(
	sql: Queryable,
	shopId: string,
	returnId: string,
	matchedBy: ScannedReturn['matchedBy'] = 'rma'
): Promise<ScannedReturn | undefined> {
	if (!UUID.test(returnId)) return undefined;
	const [r] = await sql<
		{
			id: string;
			rma: string;
			order_id: string;
			order_number: string;
			reception_status: ReceptionStatus;
			decision_status: DecisionStatus;
			return_method: ScannedReturn['returnMethod'];
			refund_timing: ScannedReturn['refundTiming'];
			tracking_number: string | null;
			customer_photos: number;
		}[]
	>`
		select r.id, r.rma, r.order_id, o.order_number, r.reception_status, r.decision_status, r.return_method, r.refund_timing,
			l.tracking_number,
			(select count(*)::int from conversation_photos p join conversations c on c.id = p.conversation_id
				where c.shop_id = r.shop_id and c.return_id = r.id) as customer_photos
		from returns r join orders o on o.id = r.order_id left join return_labels l on l.return_id = r.id
		where r.shop_id = ${shopId} and r.id = ${returnId}`;
	if (!r) return undefined;
	const lines = await sql<
		{
			id: string;
			quantity: number;
			title: string;
			variant_title: string | null;
			sku: string | null;
			variant_id: string | null;
			reason_code: string;
			label_en: string | null;
			label_fr: string | null;
			customer_comment: string | null;
			condition: Condition | null;
			disposition: Disposition | null;
			restocked_quantity: number | null;
			stops_refund: boolean | null;
			note: string | null;
			inspected_by: string | null;
			inspected_at: Date | null;
			photo_ids: string[];
		}[]
	>`
		select rl.id, rl.quantity, ol.title, ol.variant_title, coalesce(ol.sku, v.sku) as sku, ol.variant_id, rl.reason_code,
			rr.label_en, rr.label_fr, rl.customer_comment,
			i.condition, i.disposition, i.restocked_quantity, i.stops_refund, i.note, i.inspected_by, i.inspected_at,
			array(select p.id from inspection_photos p where p.return_line_id = rl.id order by p.created_at, p.id)::text[] as photo_ids
		from return_lines rl
		join order_lines ol on ol.id = rl.order_line_id
		left join variants v on v.id = ol.variant_id
		left join return_reasons rr on rr.shop_id = rl.shop_id and rr.code = rl.reason_code
		left join return_line_inspections i on i.return_line_id = rl.id
		where rl.shop_id = ${shopId} and rl.return_id = ${r.id}
		order by ol.position, rl.id`;
	const scanned: ScannedLine[] = lines.map((l, i) => ({
		id: l.id,
		position: i + 1,
		quantity: l.quantity,
		title: l.title,
		variantTitle: l.variant_title,
		sku: l.sku,
		hasVariant: l.variant_id !== null,
		reasonCode: l.reason_code,
		reasonLabel: { en: l.label_en ?? l.reason_code, fr: l.label_fr ?? l.reason_code },
		comment: l.customer_comment,
		inspection: l.condition
			? {
					condition: l.condition,
					disposition: l.disposition,
					restockedQuantity: l.restocked_quantity ?? 0,
					stopsRefund: l.stops_refund ?? false,
					note: l.note,
					inspectedBy: l.inspected_by,
					inspectedAt: l.inspected_at!,
					photoIds: l.photo_ids
				}
			: null
	}));
	return {
		id: r.id,
		rma: r.rma,
		orderId: r.order_id,
		orderNumber: r.order_number,
		receptionStatus: r.reception_status,
		decisionStatus: r.decision_status,
		returnMethod: r.return_method,
		refundTiming: r.refund_timing,
		trackingNumber: r.tracking_number,
		matchedBy,
		lines: scanned,
		inspected: scanned.length > 0 && scanned.every((l) => l.inspection !== null),
		customerPhotoCount: r.customer_photos
	};
}

export interface InspectionLine extends Omit<InspectionLineInput, 'photoCount'> {
	/** The photos' bytes, as uploaded: their type is read from the bytes and their size checked. */
	photos?: Uint8Array[];
}

export interface RecordInspectionInput {
	shopId: string;
	returnId: string;
	lines: InspectionLine[];
}

export interface InspectionOutcome {
	returnId: string;
	rma: string;
	findings: Findings;
	/** The decision is on hold for a person because of a finding (put there now, or already there). */
	held: boolean;
	/** What this inspection paid: the findings passed and the policy pays after inspection (or caught up a payment). */
	released: 'refund' | 'store_credit' | null;
	/** A refund or credit had been paid before the parcel was inspected (the policy paid on approval or drop-off). */
	paidBefore: boolean;
	/** Units actually added to the shop's stock (lines whose order line names no variant add none). */
	restocked: number;
	photos: number;
	receptionStatus: ReceptionStatus;
	decisionStatus: DecisionStatus;
}

/** Reception statuses from which the parcel's arrival at the warehouse is recorded by the inspection. */
const NOT_YET_RECEIVED: readonly ReceptionStatus[] = ['awaiting', 'in_transit', 'lost'];

/**
 * Records the inspection of a parcel, in one transaction under the return's row lock: the findings per line, the
 * stock put back, the photos, the parcel marked received; then, when every line is inspected, a hold for a person
 * if a finding stops the refund, else the 'inspected' fulfilment (which pays a refund held for inspection).
 */
export async function recordInspection(sql: Queryable, input: RecordInspectionInput, actor: Actor): Promise<InspectionOutcome> {
	if (!UUID.test(input.returnId)) throw new InspectionError('return_not_found', 'This return does not exist', 'returnId');
	return inTransaction(sql, async (tx) => {
		const [ret] = await tx<{ id: string; rma: string; reception_status: ReceptionStatus; decision_status: DecisionStatus }[]>`
			select id, rma, reception_status, decision_status from returns
			where shop_id = ${input.shopId} and id = ${input.returnId} for update`;
		if (!ret) throw new InspectionError('return_not_found', 'This return does not exist', 'returnId');
		if (ret.decision_status === 'cancelled' || ret.decision_status === 'rejected') {
			throw new InspectionError('return_closed', `Return ${ret.rma} was ${ret.decision_status}: there is nothing to inspect for it`, 'returnId');
		}
		if (ret.reception_status === 'not_required') {
			throw new InspectionError('no_parcel_expected', `The customer keeps the items of return ${ret.rma}: no parcel was expected`, 'returnId');
		}

		const lineRows = await tx<{ id: string; quantity: number; reason_code: string; variant_id: string | null; inspected: boolean }[]>`
			select rl.id, rl.quantity, rl.reason_code, ol.variant_id,
				exists (select 1 from return_line_inspections i where i.return_line_id = rl.id) as inspected
			from return_lines rl join order_lines ol on ol.id = rl.order_line_id
			where rl.return_id = ${ret.id} order by ol.position, rl.id`;
		const checked = validateInspection(
			input.lines.map(({ photos, ...line }) => ({ ...line, photoCount: photos?.length ?? 0 })),
			lineRows.map((l) => ({ id: l.id, quantity: l.quantity, reasonCode: l.reason_code, inspected: l.inspected }))
		);
		if (!checked.ok) {
			const [first] = checked.issues;
			throw new InspectionError(first.code, first.message, first.field, checked.issues);
		}

		const paidBefore = await paymentsOf(tx, ret.id);
		const variantOf = new Map(lineRows.map((l) => [l.id, l.variant_id]));
		const inputIndex = new Map(input.lines.map((l, i) => [l.returnLineId, i]));
		const inspectedBy = actor.kind === 'staff' && actor.id && UUID.test(actor.id) ? actor.id : null;
		let restocked = 0;
		let photos = 0;
		const restockedByLine = new Map<string, number>();
		for (const line of checked.lines) {
			const variantId = variantOf.get(line.returnLineId) ?? null;
			let added = 0;
			if (line.restockQuantity > 0 && variantId) {
				const updated = await tx`
					update variants set inventory_quantity = inventory_quantity + ${line.restockQuantity}, updated_at = now()
					where shop_id = ${input.shopId} and id = ${variantId} returning id`;
				if (updated.length) added = line.restockQuantity;
			}
			restocked += added;
			restockedByLine.set(line.returnLineId, added);
			await tx`
				insert into return_line_inspections
					(return_line_id, shop_id, return_id, condition, disposition, restocked_quantity, stops_refund, note, inspected_by)
				values (${line.returnLineId}, ${input.shopId}, ${ret.id}, ${line.condition}, ${line.disposition}, ${added},
					${line.stopsRefund}, ${line.note}, ${inspectedBy})`;
			const i = inputIndex.get(line.returnLineId)!;
			for (const [j, bytes] of (input.lines[i].photos ?? []).entries()) {
				await storePhoto(tx, input.shopId, line.returnLineId, bytes, `lines[${i}].photos[${j}]`);
				photos++;
			}
		}

		const findings = summarizeFindings(checked.lines);
		await recordEvent(tx, {
			shopId: input.shopId,
			returnId: ret.id,
			type: 'return.inspected',
			actor,
			payload: {
				summary: findings.summary,
				stopsRefund: findings.stopsRefund,
				restocked,
				lines: findings.lines.map((l) => ({
					returnLineId: l.returnLineId,
					line: l.line,
					condition: l.condition,
					disposition: l.disposition,
					stopsRefund: l.stopsRefund,
					restocked: restockedByLine.get(l.returnLineId) ?? 0,
					note: checked.lines.find((c) => c.returnLineId === l.returnLineId)?.note ?? null
				})),
				photos
			}
		});

		// Held before the parcel is marked received: a policy paying on arrival must not pay for an empty box.
		let decision = ret.decision_status;
		if (findings.stopsRefund && checkTransition('decision', decision, 'on_hold', findings.holdReason).ok) {
			await transitionReturn(
				tx,
				{ shopId: input.shopId, returnId: ret.id, machine: 'decision', to: 'on_hold', reason: findings.holdReason, payload: { inspection: true } },
				actor
			);
			decision = 'on_hold';
		}
		let reception = ret.reception_status;
		if (NOT_YET_RECEIVED.includes(reception)) {
			await transitionReturn(tx, { shopId: input.shopId, returnId: ret.id, machine: 'reception', to: 'received', payload: { by: 'inspection' } }, actor);
			reception = 'received';
		}
		// Nothing of the return came back, only other goods: the parcel itself is the wrong one.
		if (findings.allWrongItem && checkTransition('reception', reception, 'wrong_item').ok) {
			await transitionReturn(
				tx,
				{ shopId: input.shopId, returnId: ret.id, machine: 'reception', to: 'wrong_item', reason: findings.holdReason, payload: { by: 'inspection' } },
				actor
			);
			reception = 'wrong_item';
		}

		const [state] = await tx<{ complete: boolean; stops: boolean }[]>`
			select bool_and(i.return_line_id is not null) as complete, coalesce(bool_or(i.stops_refund), false) as stops
			from return_lines rl left join return_line_inspections i on i.return_line_id = rl.id
			where rl.return_id = ${ret.id}`;
		if (state.complete && !state.stops) await afterTransition(tx, input.shopId, ret.id, 'inspected', actor);

		const paidAfter = await paymentsOf(tx, ret.id);
		const released = paidAfter.refund > paidBefore.refund ? 'refund' : paidAfter.credit > paidBefore.credit ? 'store_credit' : null;
		return {
			returnId: ret.id,
			rma: ret.rma,
			findings,
			held: state.stops && decision === 'on_hold',
			released,
			paidBefore: paidBefore.refund + paidBefore.credit > 0,
			restocked,
			photos,
			receptionStatus: reception,
			decisionStatus: decision
		};
	});
}

async function paymentsOf(tx: TransactionSql, returnId: string): Promise<{ refund: number; credit: number }> {
	const [row] = await tx<{ refund: number; credit: number }[]>`
		select (select count(*)::int from refunds where return_id = ${returnId} and purpose = 'return') as refund,
			(select count(*)::int from credit_codes where return_id = ${returnId}) as credit`;
	return row;
}

/** Checked as a customer's photo is (its real type from its bytes, its size), then kept with the line. */
async function storePhoto(tx: TransactionSql, shopId: string, returnLineId: string, bytes: Uint8Array, field: string): Promise<string> {
	let contentType: PhotoType;
	try {
		contentType = checkPhoto(bytes);
	} catch (error) {
		if (error instanceof PhotoError) throw new InspectionError('invalid_photo', error.message, field);
		throw error;
	}
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const [row] = await tx<{ id: string }[]>`
		insert into inspection_photos (shop_id, return_line_id, content_type, byte_size, sha256, bytes)
		values (${shopId}, ${returnLineId}, ${contentType}, ${bytes.length}, ${sha256}, ${Buffer.from(bytes)})
		returning id`;
	return row.id;
}

/** One inspection photo's bytes, for staff of the shop it belongs to. */
export async function readInspectionPhoto(sql: Queryable, shopId: string, photoId: string): Promise<{ contentType: PhotoType; bytes: Uint8Array } | null> {
	if (!UUID.test(photoId)) return null;
	const [row] = await sql<{ content_type: PhotoType; bytes: Uint8Array }[]>`
		select content_type, bytes from inspection_photos where shop_id = ${shopId} and id = ${photoId}`;
	return row ? { contentType: row.content_type, bytes: row.bytes } : null;
}
