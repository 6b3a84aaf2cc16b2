import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { DEFAULT_POLICY } from '../policy/defaults';
import { activatePolicyVersion, savePolicyVersion } from '../policy/versions';
import { listEvents, type Actor } from '../returns/events';
import { createReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder, insertTestProduct } from '../test-fixtures';
import { findReturnByScan, InspectionError, readInspectionPhoto, recordInspection } from './service';

/** The warehouse: a parcel found from its label, inspected, and what that does to the refund and the stock. */

let t: TestDatabase;
let shopId: string;
let staff: Actor;
let variantId: string;
let n = 0;
const days = (d: number) => new Date(Date.now() - d * 86_400_000);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'warehouse')).id;
	staff = { kind: 'staff', id: (await createTestMember(t.sql, shopId, 'staff', 'picker@warehouse.example')).id };
	// The refund waits for the warehouse. Delivered 20 days ago: past the EU's 14 days, whose law would pay on drop-off.
	const policy = { ...DEFAULT_POLICY, defaults: { ...DEFAULT_POLICY.defaults, refundTiming: 'after_inspection' as const } };
	const version = await savePolicyVersion(t.sql, shopId, { ...policy, currency: 'EUR' }, { userId: null, email: 'owner@warehouse.example' });
	await activatePolicyVersion(t.sql, shopId, version.id, { userId: null, email: 'owner@warehouse.example' });
	const productId = await insertTestProduct(t.sql, shopId, { externalId: 'dress' });
	const [variant] = await t.sql`
		insert into variants (shop_id, product_id, external_id, sku, title, price_amount, currency, inventory_quantity)
		values (${shopId}, ${productId}, 'dress-m', 'DRESS-M', 'M', 6900, 'EUR', 5) returning id`;
	variantId = variant.id;
});
afterAll(() => t?.close());

async function newReturn(options: { reasons?: string[]; quantity?: number } = {}) {
	const reasons = options.reasons ?? ['changed_mind'];
	const o = await insertTestOrder(t.sql, shopId, {
		number: `W${++n}`,
		orderedAt: days(25),
		deliveredAt: days(20),
		paymentIntentId: `pi_warehouse_${n}`,
		lines: reasons.map((_, i) =>
			i === 0
				? { title: 'Robe portefeuille', quantity: options.quantity ?? 1, unitPrice: 6900, sku: 'DRESS-M', variantId }
				: { title: `Foulard ${i}`, quantity: 1, unitPrice: 1900 }
		)
	});
	const r = await createReturn(
		t.sql,
		{
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			resolution: 'refund',
			returnMethod: 'label',
			lines: reasons.map((reasonCode, i) => ({
				orderLineId: o.lineIds[i],
				quantity: i === 0 ? (options.quantity ?? 1) : 1,
				reasonCode,
				requestedResolution: 'refund' as const,
				comment: i === 0 ? 'Trop grande aux épaules' : null
			}))
		},
		{ kind: 'customer' }
	);
	// The return's lines in the order's order: lines[0] is the dress.
	return { ...r, lines: o.lineIds.map((id) => r.lines.find((l) => l.orderLineId === id)!) };
}

const refunds = (returnId: string) => t.sql`select status, amount, method from refunds where return_id = ${returnId}`;
const stock = async () => (await t.sql`select inventory_quantity from variants where id = ${variantId}`)[0].inventory_quantity as number;
async function refusal(run: () => Promise<unknown>): Promise<InspectionError> {
	try {
		await run();
	} catch (e) {
		if (e instanceof InspectionError) return e;
		throw e;
	}
	throw new Error('not refused');
}

describe('finding a return from what is scanned', () => {
	it('reads the RMA as the label prints it, in lower case, or without its dashes', async () => {
		const r = await newReturn();
		for (const code of [r.rma, r.rma.toLowerCase(), r.rma.replaceAll('-', ''), ` ${r.rma.replaceAll('-', '').toLowerCase()} `]) {
			const found = await findReturnByScan(t.sql, shopId, code);
			expect(found).toMatchObject({ id: r.id, rma: r.rma, matchedBy: 'rma', inspected: false, receptionStatus: 'awaiting', decisionStatus: 'accepted' });
		}
		const found = await findReturnByScan(t.sql, shopId, r.rma);
		expect(found.lines).toEqual([
			expect.objectContaining({
				position: 1,
				title: 'Robe portefeuille',
				sku: 'DRESS-M',
				quantity: 1,
				reasonCode: 'changed_mind',
				reasonLabel: { en: 'Changed my mind', fr: 'J’ai changé d’avis' },
				comment: 'Trop grande aux épaules',
				inspection: null
			})
		]);
		expect(found.customerPhotoCount).toBe(0);
	});

	it('reads the carrier’s tracking number', async () => {
		const r = await newReturn();
		await t.sql`update return_labels set tracking_number = '3SABCD0123456789' where return_id = ${r.id}`;
		expect(await findReturnByScan(t.sql, shopId, '3sabcd0123456789')).toMatchObject({ id: r.id, matchedBy: 'tracking_number', trackingNumber: '3SABCD0123456789' });
	});

	it('says so when nothing matches, or nothing was scanned; another shop’s return is not found', async () => {
		expect(await refusal(() => findReturnByScan(t.sql, shopId, 'R-ZZZZ-ZZZZ'))).toMatchObject({ code: 'return_not_found', field: 'code' });
		expect(await refusal(() => findReturnByScan(t.sql, shopId, '  '))).toMatchObject({ code: 'invalid_code', field: 'code' });
		const r = await newReturn();
		const other = (await createTestShop(t.sql, 'other-warehouse')).id;
		expect((await refusal(() => findReturnByScan(t.sql, other, r.rma))).message).toContain(r.rma);
	});
});

describe('recording an inspection', () => {
	it('pays a refund held for inspection only once the inspection passes, not when the parcel arrives', async () => {
		const r = await newReturn();
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'received' }, staff);
		expect(await refunds(r.id)).toHaveLength(0);

		const outcome = await recordInspection(t.sql, { shopId, returnId: r.id, lines: [{ returnLineId: r.lines[0].id, condition: 'opened', disposition: 'restock' }] }, staff);
		expect(outcome).toMatchObject({ held: false, released: 'refund', paidBefore: false, restocked: 1, decisionStatus: 'accepted', receptionStatus: 'received' });
		const paid = await refunds(r.id);
		expect(paid).toEqual([{ status: 'pending', amount: 6900, method: 'stripe' }]);
		const [refund] = await t.sql`select id from refunds where return_id = ${r.id}`;
		expect(await t.sql`select 1 from pgboss.job where name = 'refund-send' and data->>'refundId' = ${refund.id}`).toHaveLength(1);

		const [row] = await t.sql`select condition, disposition, restocked_quantity, stops_refund, inspected_by from return_line_inspections where return_id = ${r.id}`;
		expect(row).toEqual({ condition: 'opened', disposition: 'restock', restocked_quantity: 1, stops_refund: false, inspected_by: staff.id });
		const inspected = (await listEvents(t.sql, shopId, r.id)).find((e) => e.type === 'return.inspected')!;
		expect(inspected).toMatchObject({ actorKind: 'staff', actorId: staff.id, payload: { summary: 'Inspection: line 1 opened.', stopsRefund: false, restocked: 1 } });
		expect((await findReturnByScan(t.sql, shopId, r.rma)).inspected).toBe(true);
	});

	it('holds an empty box for a person, marks the parcel received, and pays nothing', async () => {
		const r = await newReturn();
		const before = await stock();
		const outcome = await recordInspection(
			t.sql,
			{ shopId, returnId: r.id, lines: [{ returnLineId: r.lines[0].id, condition: 'missing', note: 'Box sealed, nothing inside' }] },
			staff
		);
		expect(outcome).toMatchObject({ held: true, released: null, restocked: 0, decisionStatus: 'on_hold', receptionStatus: 'received' });
		expect(await refunds(r.id)).toHaveLength(0);
		expect(await stock()).toBe(before);
		const events = await listEvents(t.sql, shopId, r.id);
		expect(events.find((e) => e.type === 'return.decision_changed' && e.payload.to === 'on_hold')?.payload).toMatchObject({
			from: 'accepted',
			reason: 'Inspection: line 1 missing from the parcel. A person decides the refund.'
		});
		expect(events.find((e) => e.type === 'return.reception_changed')?.payload).toMatchObject({ from: 'awaiting', to: 'received' });
	});

	it('puts restocked units back on sale, and only on lines that name a variant', async () => {
		const r = await newReturn({ reasons: ['too_small', 'changed_mind'], quantity: 3 });
		const before = await stock();
		const outcome = await recordInspection(
			t.sql,
			{
				shopId,
				returnId: r.id,
				lines: [
					{ returnLineId: r.lines[1].id, condition: 'new', disposition: 'restock' },
					{ returnLineId: r.lines[0].id, condition: 'new', disposition: 'restock', restockQuantity: 2 }
				]
			},
			staff
		);
		expect(outcome.restocked).toBe(2);
		expect(await stock()).toBe(before + 2);
		const rows = await t.sql`select return_line_id, restocked_quantity from return_line_inspections where return_id = ${r.id}`;
		expect(Object.fromEntries(rows.map((row) => [row.return_line_id, row.restocked_quantity]))).toEqual({ [r.lines[0].id]: 2, [r.lines[1].id]: 0 });
	});

	it('refuses to inspect a line again: its findings stand', async () => {
		const r = await newReturn();
		const lines = [{ returnLineId: r.lines[0].id, condition: 'new', disposition: 'donate' }];
		await recordInspection(t.sql, { shopId, returnId: r.id, lines }, staff);
		const e = await refusal(() => recordInspection(t.sql, { shopId, returnId: r.id, lines: [{ ...lines[0], condition: 'used' }] }, staff));
		expect(e).toMatchObject({ code: 'already_inspected', field: 'lines[0]' });
		expect(await t.sql`select condition from return_line_inspections where return_id = ${r.id}`).toEqual([{ condition: 'new' }]);
	});

	it('refuses a bad photo and writes nothing at all', async () => {
		const r = await newReturn({ reasons: ['changed_mind', 'changed_mind'] });
		const before = await stock();
		const events = (await listEvents(t.sql, shopId, r.id)).length;
		const pdf = new TextEncoder().encode('%PDF-1.7 not a picture at all');
		const e = await refusal(() =>
			recordInspection(
				t.sql,
				{
					shopId,
					returnId: r.id,
					lines: [
						{ returnLineId: r.lines[0].id, condition: 'new', disposition: 'restock', photos: [JPEG] },
						{ returnLineId: r.lines[1].id, condition: 'damaged', disposition: 'discard', photos: [JPEG, pdf] }
					]
				},
				staff
			)
		);
		expect(e).toMatchObject({ code: 'invalid_photo', field: 'lines[1].photos[1]' });
		expect(e.message).toMatch(/not a JPEG, PNG, WebP or HEIC/);
		expect(await t.sql`select 1 from return_line_inspections where return_id = ${r.id}`).toHaveLength(0);
		expect(await t.sql`select 1 from inspection_photos p join return_lines rl on rl.id = p.return_line_id where rl.return_id = ${r.id}`).toHaveLength(0);
		expect(await stock()).toBe(before);
		expect(await listEvents(t.sql, shopId, r.id)).toHaveLength(events);
		expect((await findReturnByScan(t.sql, shopId, r.rma)).receptionStatus).toBe('awaiting');
	});

	it('keeps the photos with the line, for staff of the shop only', async () => {
		const r = await newReturn({ reasons: ['arrived_damaged'] });
		const outcome = await recordInspection(
			t.sql,
			{ shopId, returnId: r.id, lines: [{ returnLineId: r.lines[0].id, condition: 'damaged', disposition: 'refurbish', photos: [JPEG] }] },
			staff
		);
		expect(outcome).toMatchObject({ photos: 1, held: false });
		const [line] = (await findReturnByScan(t.sql, shopId, r.rma)).lines;
		expect(line.inspection).toMatchObject({ condition: 'damaged', disposition: 'refurbish', stopsRefund: false, photoIds: [expect.any(String)] });
		const photoId = line.inspection!.photoIds[0];
		expect(await readInspectionPhoto(t.sql, shopId, photoId)).toEqual({ contentType: 'image/jpeg', bytes: expect.anything() });
		const other = (await createTestShop(t.sql, 'photo-thief')).id;
		expect(await readInspectionPhoto(t.sql, other, photoId)).toBeNull();
		expect(await readInspectionPhoto(t.sql, shopId, 'not-an-id')).toBeNull();
	});

	it('marks the parcel as the wrong one when every line came back as another item', async () => {
		const r = await newReturn();
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'in_transit' }, { kind: 'system' });
		const outcome = await recordInspection(t.sql, { shopId, returnId: r.id, lines: [{ returnLineId: r.lines[0].id, condition: 'wrong_item', disposition: 'discard' }] }, staff);
		expect(outcome).toMatchObject({ held: true, receptionStatus: 'wrong_item', decisionStatus: 'on_hold', released: null });
		expect(await refunds(r.id)).toHaveLength(0);
	});

	it('refuses a cancelled return, and input that misses a line, naming the field', async () => {
		const r = await newReturn({ reasons: ['changed_mind', 'changed_mind'] });
		const e = await refusal(() => recordInspection(t.sql, { shopId, returnId: r.id, lines: [{ returnLineId: r.lines[0].id, condition: 'used' }] }, staff));
		expect(e.issues.map((i) => i.field)).toEqual(['lines[0].disposition', 'lines']);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'cancelled', reason: 'Customer changed their mind' }, staff);
		expect(
			await refusal(() =>
				recordInspection(
					t.sql,
					{ shopId, returnId: r.id, lines: r.lines.map((l) => ({ returnLineId: l.id, condition: 'new', disposition: 'restock' })) },
					staff
				)
			)
		).toMatchObject({ code: 'return_closed' });
	});
});
