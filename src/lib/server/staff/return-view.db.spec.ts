import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { DEFAULT_POLICY } from '../policy/defaults';
import { activatePolicyVersion, savePolicyVersion } from '../policy/versions';
import { saveAssessment } from '../risk/assessments';
import { EMPTY_HISTORY, EMPTY_LINKED } from '../risk/facts';
import { addListEntry } from '../risk/lists';
import { createReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { addNote, assignReturn } from './actions';
import { loadNewReturnForm, loadReturnForStaff, readReturnPhoto } from './return-view';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let staffId: string;
const customer = { kind: 'customer' as const, id: 'c1' };

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const photoRow = (bytes: Uint8Array) => ({
	content_type: 'image/png',
	byte_size: bytes.length,
	sha256: createHash('sha256').update(bytes).digest('hex'),
	bytes: Buffer.from(bytes)
});

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'staff-view')).id;
	otherShopId = (await createTestShop(t.sql, 'staff-view-other')).id;
	staffId = (await createTestMember(t.sql, shopId, 'staff', 'camille@staff-view.example', { name: 'Camille' })).id;
	const pricey = { id: 'pricey', name: 'Expensive items', when: { unitPrice: { min: 50_000 } }, then: { eligibility: 'needs_review' as const } };
	const v = await savePolicyVersion(t.sql, shopId, { ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules, pricey] }, { userId: null, email: null });
	await activatePolicyVersion(t.sql, shopId, v.id, { userId: null, email: null });
});
afterAll(() => t?.close());

/** A customer with an earlier order and two earlier returns (one cancelled), then a coat sent to review. */
async function customerWithHistory(email: string) {
	const earlier = await insertTestOrder(t.sql, shopId, {
		number: `${email}-1`,
		email,
		country: 'US',
		lines: [
			{ title: 'T-shirt', quantity: 2, unitPrice: 2000 },
			{ title: 'Ceinture', quantity: 1, unitPrice: 4000 }
		]
	});
	const kept = await createReturn(
		t.sql,
		{ shopId, orderId: earlier.orderId, channel: 'customer', lines: [{ orderLineId: earlier.lineIds[0], quantity: 1, reasonCode: 'too_small' }] },
		customer
	);
	const cancelled = await createReturn(
		t.sql,
		{ shopId, orderId: earlier.orderId, channel: 'customer', lines: [{ orderLineId: earlier.lineIds[1], quantity: 1, reasonCode: 'changed_mind' }] },
		customer
	);
	await transitionReturn(t.sql, { shopId, returnId: cancelled.id, machine: 'decision', to: 'cancelled' }, customer);
	const order = await insertTestOrder(t.sql, shopId, {
		number: `${email}-2`,
		email,
		country: 'US',
		lines: [
			{ title: 'Manteau laine', quantity: 1, unitPrice: 65_000, sku: 'MAN-42' },
			{ title: 'Écharpe', quantity: 2, unitPrice: 3000 }
		]
	});
	const ret = await createReturn(
		t.sql,
		{
			shopId,
			orderId: order.orderId,
			channel: 'customer',
			returnMethod: 'label',
			lines: [
				{
					orderLineId: order.lineIds[0],
					quantity: 1,
					reasonCode: 'not_as_described',
					comment: ' The colour is not the one pictured ',
					requestedResolution: 'refund',
					answers: [{ question: 'fit.direction', type: 'text', value: 'too_large' }]
				}
			]
		},
		customer
	);
	return { earlier, order, kept, cancelled, ret };
}

describe('loadReturnForStaff', () => {
	it('gathers the return, its items, the order and the policy’s explanation with its rules by name', async () => {
		const { order, ret } = await customerWithHistory('lou@example.com');
		expect(ret.decisionStatus).toBe('needs_review');
		const view = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(view.return).toMatchObject({ id: ret.id, rma: ret.rma, decisionStatus: 'needs_review', receptionStatus: 'awaiting', channel: 'customer', returnMethod: 'label', assignee: null });
		expect(view.lines).toEqual([
			expect.objectContaining({
				orderLineId: order.lineIds[0],
				title: 'Manteau laine',
				sku: 'MAN-42',
				quantity: 1,
				orderedQuantity: 1,
				unitPrice: { amount: 65_000, currency: 'EUR' },
				reasonCode: 'not_as_described',
				reason: { en: 'Not as described', fr: 'Non conforme à la description' },
				comment: 'The colour is not the one pictured',
				requestedResolution: 'refund',
				resolutionStatus: 'pending',
				answers: [{ question: 'fit.direction', value: 'too_large' }]
			})
		]);
		expect(view.order).toMatchObject({
			id: order.orderId,
			number: 'lou@example.com-2',
			total: { amount: 71_000, currency: 'EUR' },
			email: 'lou@example.com',
			shippingAddress: { name: 'Camille Martin', city: 'Lyon', country: 'US', line2: null }
		});
		expect(view.order.deliveredAt).toBeInstanceOf(Date);
		expect(view.policy).toMatchObject({
			eligibility: 'needs_review',
			versionNumber: 2,
			lines: [
				{
					orderLineId: order.lineIds[0],
					eligibility: 'needs_review',
					explanation: { en: expect.stringMatching(/review/i), fr: expect.any(String) },
					rules: [{ id: 'pricey', name: 'Expensive items' }]
				}
			]
		});
		expect(view.policy!.quote).toMatchObject({ currency: 'EUR', total: 65_000 });
	});

	it('sums up the customer’s history: counts, rates by items and by value, claims, other returns', async () => {
		const { earlier, kept, cancelled, ret } = await customerWithHistory('noa@example.com');
		await t.sql`insert into order_claims (shop_id, order_id, customer_id, kind, note)
			values (${shopId}, ${earlier.orderId}, ${earlier.customerId}, 'not_received', 'Parcel never came')`;
		const { customer: c } = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(c).toMatchObject({
			email: 'noa@example.com',
			orders: 2,
			// The cancelled return brought nothing back: not counted.
			returns: 2,
			orderedUnits: 6,
			returnedUnits: 2,
			unitRateBasisPoints: 3333,
			// Goods: 2×20 + 40 + 650 + 2×30 = 790 €; back: 20 + 650 = 670 €.
			orderedValue: { amount: 79_000, currency: 'EUR' },
			returnedValue: { amount: 67_000, currency: 'EUR' },
			valueRateBasisPoints: 8481,
			notReceivedClaims: 1
		});
		expect(c.otherReturns.map((r) => [r.rma, r.decisionStatus, r.units])).toEqual(
			expect.arrayContaining([
				[kept.rma, 'accepted', 1],
				[cancelled.rma, 'cancelled', 1]
			])
		);
		expect(c.otherReturns.map((r) => r.id)).not.toContain(ret.id);
	});

	it('shows the stored risk score with its signals and profile', async () => {
		const { ret } = await customerWithHistory('eli@example.com');
		await t.sql`delete from return_risk_assessments where return_id = ${ret.id}`;
		await saveAssessment(t.sql, {
			shopId,
			returnId: ret.id,
			assessment: { score: 68, level: 'elevated', signals: [{ code: 'past_mismatch', points: 60, params: { units: 2, inspected: 3 } }, { code: 'high_value', points: 8, params: { value: 65_000, threshold: 30_000 } }] },
			facts: { daysSinceDelivery: 5, windowDays: 30, highValue: 30_000, lines: [], history: { ...EMPTY_HISTORY, orders: 2, mismatchUnits: 2, inspectedUnits: 3 }, linked: EMPTY_LINKED },
			scorer: 'risk-1'
		});
		const { risk } = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(risk).toMatchObject({
			score: 68,
			level: 'elevated',
			signals: [{ code: 'past_mismatch', points: 60, params: { units: 2, inspected: 3 } }, { code: 'high_value', points: 8 }],
			profile: { daysSinceDelivery: 5, windowDays: 30, highValue: 30_000, history: { orders: 2, mismatchUnits: 2 }, linked: { accounts: 0 } },
			scorer: 'risk-1'
		});
	});

	it('shows the block and allow list entries the order matches, with the reasons staff wrote', async () => {
		const { ret } = await customerWithHistory('listed@example.com');
		expect((await loadReturnForStaff(t.sql, shopId, ret.id))!.lists).toEqual({ blocked: [], allowed: [] });
		await addListEntry(t.sql, shopId, { list: 'block', kind: 'email', value: 'listed@example.com', reason: 'Chargeback on an earlier order' }, staffId);
		const { lists } = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(lists.blocked).toMatchObject([{ kind: 'email', label: 'listed@example.com', reason: 'Chargeback on an earlier order' }]);
		expect(lists.allowed).toEqual([]);
	});

	it('shows the conversation’s transcript and photos, and inspection findings with theirs', async () => {
		const { order, ret } = await customerWithHistory('sam@example.com');
		const [conversation] = await t.sql`
			insert into conversations (shop_id, order_id, locale, step, state, return_id)
			values (${shopId}, ${order.orderId}, 'fr', 'submitted',
				${t.sql.json({ transcript: [{ role: 'assistant', text: 'Que se passe-t-il ?' }, { role: 'customer', text: 'La couleur est différente.' }] })}, ${ret.id})
			returning id`;
		const [customerPhoto] = await t.sql`insert into conversation_photos ${t.sql({ shop_id: shopId, conversation_id: conversation.id, ...photoRow(PNG) })} returning id`;
		const line = ret.lines[0].id;
		const inspector = await createTestMember(t.sql, shopId, 'staff', 'dock@staff-view.example', { name: 'Dock' });
		await t.sql`insert into return_line_inspections (return_line_id, shop_id, return_id, condition, disposition, stops_refund, note, inspected_by)
			values (${line}, ${shopId}, ${ret.id}, 'used', 'refurbish', true, 'Worn, label cut', ${inspector.id})`;
		const [inspectionPhoto] = await t.sql`insert into inspection_photos ${t.sql({ shop_id: shopId, return_line_id: line, ...photoRow(PNG) })} returning id`;

		const view = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(view.conversation).toMatchObject({
			id: conversation.id,
			locale: 'fr',
			transcript: [
				{ role: 'assistant', text: 'Que se passe-t-il ?' },
				{ role: 'customer', text: 'La couleur est différente.' }
			],
			photos: [{ id: customerPhoto.id, contentType: 'image/png' }]
		});
		expect(view.inspections).toEqual([
			{
				returnLineId: line,
				finding: {
					condition: 'used',
					disposition: 'refurbish',
					restockedQuantity: 0,
					stopsRefund: true,
					note: 'Worn, label cut',
					inspectedBy: { id: inspector.id, name: 'Dock', email: 'dock@staff-view.example' },
					inspectedAt: expect.any(Date)
				},
				photos: [{ id: inspectionPhoto.id, contentType: 'image/png' }]
			}
		]);

		// Both photos are served for this return, in this shop only.
		expect(await readReturnPhoto(t.sql, shopId, ret.id, customerPhoto.id)).toMatchObject({ contentType: 'image/png' });
		const served = await readReturnPhoto(t.sql, shopId, ret.id, inspectionPhoto.id);
		expect(Buffer.from(served!.bytes)).toEqual(Buffer.from(PNG));
		expect(await readReturnPhoto(t.sql, otherShopId, ret.id, customerPhoto.id)).toBeNull();
		const { ret: another } = await customerWithHistory('other@example.com');
		expect(await readReturnPhoto(t.sql, shopId, another.id, customerPhoto.id)).toBeNull();
		expect(await readReturnPhoto(t.sql, shopId, ret.id, 'not-a-uuid')).toBeNull();
		expect((await loadReturnForStaff(t.sql, shopId, another.id))!).toMatchObject({ conversation: null, inspections: [] });
	});

	it('lists the history with who acted, and who the return is assigned to', async () => {
		const { ret } = await customerWithHistory('ana@example.com');
		await assignReturn(t.sql, { shopId, returnId: ret.id, assigneeId: staffId }, staffId);
		await addNote(t.sql, { shopId, returnId: ret.id, body: 'Called the customer' }, staffId);
		const view = (await loadReturnForStaff(t.sql, shopId, ret.id))!;
		expect(view.return.assignee).toEqual({ id: staffId, name: 'Camille', email: 'camille@staff-view.example' });
		const tail = view.events.slice(-2);
		expect(tail).toEqual([
			expect.objectContaining({ type: 'return.assigned', actorKind: 'staff', actor: expect.objectContaining({ id: staffId }), assignee: expect.objectContaining({ name: 'Camille' }) }),
			expect.objectContaining({ type: 'return.note_added', actor: expect.objectContaining({ email: 'camille@staff-view.example' }), payload: { body: 'Called the customer' } })
		]);
		expect(view.events[0]).toMatchObject({ type: 'return.created', actorKind: 'customer', actor: null });
	});

	it('finds nothing for another shop’s return or an id that is not one', async () => {
		const { ret } = await customerWithHistory('zoe@example.com');
		expect(await loadReturnForStaff(t.sql, otherShopId, ret.id)).toBeNull();
		expect(await loadReturnForStaff(t.sql, shopId, 'nope')).toBeNull();
		expect(await loadReturnForStaff(t.sql, shopId, '00000000-0000-0000-0000-000000000000')).toBeNull();
	});
});

describe('loadNewReturnForm', () => {
	it('offers each line with what is left to return, and only the leaf reasons', async () => {
		const { order } = await customerWithHistory('max@example.com');
		const form = (await loadNewReturnForm(t.sql, shopId, order.orderId))!;
		expect(form.order).toMatchObject({ id: order.orderId, currency: 'EUR', email: 'max@example.com' });
		expect(form.lines.map((l) => [l.title, l.ordered, l.left])).toEqual([
			['Manteau laine', 1, 0],
			['Écharpe', 2, 2]
		]);
		const codes = form.reasons.map((r) => r.code);
		expect(codes).toContain('too_small');
		expect(codes).not.toContain('fit');
		expect(await loadNewReturnForm(t.sql, otherShopId, order.orderId)).toBeNull();
	});
});
