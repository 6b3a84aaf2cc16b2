import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { connect } from '../db/connect';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { listEvents } from './events';
import { createReturn, resolveLine, ReturnError, returnedQuantities, transitionReturn } from './service';

let t: TestDatabase;
let shopId: string;
const customer = { kind: 'customer' as const, id: 'c1' };
const staff = { kind: 'staff' as const, id: 'u1' };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql)).id;
});
afterAll(() => t.close());

async function order(number: string, quantity = 2) {
	return insertTestOrder(t.sql, shopId, { number, lines: [{ title: 'Jean slim', quantity, unitPrice: 8900 }, { title: 'Câble USB-C', quantity: 1, unitPrice: 1500 }] });
}

describe('createReturn', () => {
	it('creates the return, its lines, answers and a first event in one go', async () => {
		const o = await order('1001');
		const r = await createReturn(
			t.sql,
			{
				shopId,
				orderId: o.orderId,
				channel: 'customer',
				lines: [
					{
						orderLineId: o.lineIds[0],
						quantity: 1,
						reasonCode: 'too_small',
						requestedResolution: 'exchange',
						answers: [
							{ question: 'fit.direction', type: 'text', value: 'too_small' },
							{ question: 'fit.size_delta', type: 'number', value: 1 }
						]
					}
				]
			},
			customer
		);
		expect(r.rma).toMatch(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		// Within the policy: accepted at once, by the system.
		expect(r).toMatchObject({ receptionStatus: 'awaiting', decisionStatus: 'accepted', currency: 'EUR', closedAt: null });
		expect(r.lines).toHaveLength(1);
		const answers = await t.sql`select question, value_type, text_value, number_value from return_answers order by question`;
		expect(answers).toEqual([
			{ question: 'fit.direction', value_type: 'text', text_value: 'too_small', number_value: null },
			{ question: 'fit.size_delta', value_type: 'number', text_value: null, number_value: 1 }
		]);
		const events = await listEvents(t.sql, shopId, r.id);
		expect(events.map((e) => [e.type, e.actorKind, e.actorId])).toEqual([
			['return.created', 'customer', 'c1'],
			['return.risk_assessed', 'system', null],
			['return.decision_changed', 'system', null]
		]);
		expect(events[2].payload).toMatchObject({ from: 'pending', to: 'accepted', automatic: true });
		expect(events[0].payload).toMatchObject({ rma: r.rma, channel: 'customer' });
	});

	it('refuses more units than are left, counting earlier returns but not cancelled ones', async () => {
		const o = await order('1002', 2);
		const first = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 2, reasonCode: 'too_large' }] }, customer);
		await expect(
			createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_large' }] }, customer)
		).rejects.toMatchObject({ code: 'quantity_exceeded', field: 'lines[0].quantity' });
		await transitionReturn(t.sql, { shopId, returnId: first.id, machine: 'decision', to: 'cancelled' }, customer);
		expect((await returnedQuantities(t.sql, shopId, o.orderId)).get(o.lineIds[0])).toBeUndefined();
		const again = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_large' }] }, customer);
		expect(again.lines[0].quantity).toBe(1);
	});

	it('refuses group reasons, unknown reasons, foreign lines and empty returns, writing nothing', async () => {
		const o = await order('1003');
		const other = await order('1004');
		const before = (await t.sql`select count(*)::int as n from returns`)[0].n;
		const attempts: [Parameters<typeof createReturn>[1]['lines'], string][] = [
			[[{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'fit' }], 'reason_not_selectable'],
			[[{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'bored' }], 'unknown_reason'],
			[[{ orderLineId: other.lineIds[0], quantity: 1, reasonCode: 'too_small' }], 'line_not_found'],
			[[{ orderLineId: o.lineIds[0], quantity: 0, reasonCode: 'too_small' }], 'invalid_quantity'],
			[[{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }, { orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }], 'duplicate_line'],
			[[], 'no_lines']
		];
		for (const [lines, code] of attempts) {
			const error = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines }, customer).catch((e) => e);
			expect(error).toBeInstanceOf(ReturnError);
			expect(error.code).toBe(code);
		}
		expect((await t.sql`select count(*)::int as n from returns`)[0].n).toBe(before);
	});

	it("is refused by the database itself for a line of another order (trigger)", async () => {
		const o = await order('1006');
		const other = await order('1007');
		const [r] = await t.sql`insert into returns (shop_id, order_id, customer_id, rma, channel, currency) values (${shopId}, ${o.orderId}, ${o.customerId}, 'R-TEST-0002', 'staff', 'EUR') returning id`;
		await expect(
			t.sql`insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code) values (${shopId}, ${r.id}, ${other.lineIds[0]}, 1, 'too_small')`
		).rejects.toThrow(/is not part of the order/);
	});

	it('is refused by the database itself for a group reason (trigger)', async () => {
		const o = await order('1005');
		const [r] = await t.sql`insert into returns (shop_id, order_id, customer_id, rma, channel, currency) values (${shopId}, ${o.orderId}, ${o.customerId}, 'R-TEST-0001', 'staff', 'EUR') returning id`;
		await expect(
			t.sql`insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code) values (${shopId}, ${r.id}, ${o.lineIds[0]}, 1, 'fit')`
		).rejects.toThrow(/is a group/);
	});
});

describe('transitions and resolution', () => {
	it('follows the lifecycle, records each change with its actor, and closes when every line is resolved', async () => {
		const o = await order('2001');
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }, { orderLineId: o.lineIds[1], quantity: 1, reasonCode: 'incompatible_device' }] },
			customer
		);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'in_transit' }, { kind: 'system' });
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'received' }, staff);
		let after = await resolveLine(t.sql, { shopId, returnLineId: r.lines[0].id, to: 'refunded' }, { kind: 'system' });
		expect(after.closedAt).toBeNull();
		after = await resolveLine(t.sql, { shopId, returnLineId: r.lines[1].id, to: 'credited' }, { kind: 'system' });
		expect(after.closedAt).toBeInstanceOf(Date);
		const events = await listEvents(t.sql, shopId, r.id);
		expect(events.map((e) => e.type)).toEqual([
			'return.created',
			'return.risk_assessed',
			'return.decision_changed',
			'return.reception_changed',
			'refund.requested', // the policy pays at drop-off: the parcel's first scan
			'return.reception_changed',
			'return.line_resolved',
			'return.line_resolved',
			'return.closed'
		]);
		expect(events[2]).toMatchObject({ actorKind: 'staff', actorId: 'u1', payload: { from: 'pending', to: 'accepted' } });
	});

	it('refuses an invalid transition with a clear error and changes nothing', async () => {
		const o = await order('2002');
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		await expect(transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'reception', to: 'awaiting' }, staff)).rejects.toMatchObject({ code: 'invalid_transition' });
		await expect(transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'rejected' }, staff)).rejects.toMatchObject({ code: 'reason_required' });
		await expect(resolveLine(t.sql, { shopId, returnLineId: r.lines[0].id, to: 'pending' }, staff)).rejects.toMatchObject({ code: 'invalid_transition' });
		// Only what creating it wrote: the return and its risk score.
		expect((await listEvents(t.sql, shopId, r.id)).map((e) => e.type)).toEqual(['return.created', 'return.risk_assessed']);
	});

	it('refuses to override a rejection when another return has taken the units since', async () => {
		const o = await order('2004', 1);
		const first = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] }, customer);
		await transitionReturn(t.sql, { shopId, returnId: first.id, machine: 'decision', to: 'rejected', reason: 'No defect found' }, staff);
		await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		await expect(
			transitionReturn(t.sql, { shopId, returnId: first.id, machine: 'decision', to: 'accepted', reason: 'Customer sent a video' }, staff)
		).rejects.toMatchObject({ code: 'quantity_exceeded' });
		expect((await returnedQuantities(t.sql, shopId, o.orderId)).get(o.lineIds[0])).toBe(1);
	});

	it('lets a rejection be overridden while the units are free', async () => {
		const o = await order('2005', 1);
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] }, customer);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'rejected', reason: 'No defect found' }, staff);
		const after = await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted', reason: 'Customer sent a video' }, staff);
		expect(after.decisionStatus).toBe('accepted');
	});

	it('keeps return_events append-only', async () => {
		await expect(t.sql`update return_events set type = 'return.hacked'`).rejects.toThrow(/append-only/);
		await expect(t.sql`delete from return_events`).rejects.toThrow(/append-only/);
	});

	it('never lets another shop touch a return', async () => {
		const o = await order('2003');
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		const other = await createTestShop(t.sql, 'other-shop');
		await expect(transitionReturn(t.sql, { shopId: other.id, returnId: r.id, machine: 'decision', to: 'accepted' }, staff)).rejects.toMatchObject({ code: 'return_not_found' });
		await expect(createReturn(t.sql, { shopId: other.id, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer)).rejects.toMatchObject({ code: 'order_not_found' });
	});
});

describe.runIf(realPostgres)('concurrency (real PostgreSQL)', () => {
	it('two customers returning the last unit at once: exactly one succeeds', async () => {
		const o = await order('3001', 1);
		const a = connect({ url: t.url!, max: 1 });
		const b = connect({ url: t.url!, max: 1 });
		try {
			const input = { shopId, orderId: o.orderId, channel: 'customer' as const, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] };
			const results = await Promise.allSettled([createReturn(a, input, customer), createReturn(b, input, customer)]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(rejected.reason).toMatchObject({ code: 'quantity_exceeded' });
		} finally {
			await a.end();
			await b.end();
		}
	});
});
