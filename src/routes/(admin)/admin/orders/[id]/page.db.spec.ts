import { isActionFailure, isHttpError, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { builtinLabels } from '$lib/server/labels/provider';
import { makeReturnLabel } from '$lib/server/labels/service';
import { getRefund, listReturnRefunds, processRefund } from '$lib/server/refunds/service';
import { listEvents } from '$lib/server/returns/events';
import { createReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';
import { GET as downloadLabel } from './labels/[rma]/+server';

/** The admin order page's fulfilment block: what its load shows and what its form actions do, as a browser posts them. */

let t: TestDatabase;
let locals: App.Locals;
let otherShopLocals: App.Locals;
let n = 0;

beforeAll(async () => {
	t = await createAppTestDatabase('o'.repeat(64));
	const shop = await createTestShop(t.sql, 'order-page');
	const user = await createTestMember(t.sql, shop.id, 'staff', 'staff@order-page.example');
	locals = { user: { id: user.id, email: user.email, name: user.name }, session: null, shop, role: 'staff' };
	const other = await createTestShop(t.sql, 'order-page-other');
	const otherUser = await createTestMember(t.sql, other.id, 'owner', 'owner@order-page-other.example');
	otherShopLocals = { user: { id: otherUser.id, email: otherUser.email, name: otherUser.name }, session: null, shop: other, role: 'owner' };
});
afterAll(() => t?.close());

/** An accepted return of a defective item with a label: a pending label, and a pending refund (Stripe when paid through it). */
async function acceptedReturn(options: { paidThroughStripe?: boolean } = {}) {
	const number = `OP-${++n}`;
	const o = await insertTestOrder(t.sql, locals.shop!.id, {
		number,
		paymentIntentId: options.paidThroughStripe === false ? null : `pi_test_${number}`,
		lines: [{ title: 'Casque sans fil', quantity: 1, unitPrice: 8900 }]
	});
	const r = await createReturn(
		t.sql,
		{
			shopId: locals.shop!.id,
			orderId: o.orderId,
			channel: 'customer',
			returnMethod: 'label',
			lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }]
		},
		{ kind: 'customer', id: o.customerId }
	);
	const [refund] = await listReturnRefunds(t.sql, locals.shop!.id, r.id);
	return { orderId: o.orderId, returnId: r.id, rma: r.rma, refundId: refund.id };
}

const url = (orderId: string, search = '') => new URL(`https://retour.example/admin/orders/${orderId}${search}`);

async function page(orderId: string) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals, url: url(orderId), params: { id: orderId } })) as PageServerData;
}

async function post(orderId: string, action: keyof typeof actions, fields: Record<string, string>, who = locals) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	const request = new Request(url(orderId, `?/${action}`), { method: 'POST', body: form });
	const result = await (actions[action] as (e: unknown) => Promise<unknown>)({ locals: who, url: url(orderId, `?/${action}`), params: { id: orderId }, request });
	if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
	return { status: 200, data: result as Record<string, unknown> };
}

describe('the admin order page’s fulfilment', () => {
	it('shows each return’s label and refund, and the parcel moves allowed from its status', async () => {
		const r = await acceptedReturn();
		const data = await page(r.orderId);
		expect(data.returns.map((x) => x.id)).toEqual([r.returnId]);
		expect(data.fulfilment).toEqual([
			expect.objectContaining({
				returnId: r.returnId,
				label: expect.objectContaining({ provider: 'builtin', status: 'pending', trackingNumber: null, error: null }),
				refunds: [expect.objectContaining({ id: r.refundId, method: 'stripe', status: 'pending', amount: 8900, currency: 'EUR', attempts: 0 })],
				receptionActions: ['in_transit', 'received']
			})
		]);
		expect(data.fulfilment[0].events.map((e) => e.type)).toEqual(expect.arrayContaining(['return.created', 'refund.requested']));
	});

	it('retries a failed Stripe refund, and refuses to retry one that is not failed, saying why', async () => {
		const r = await acceptedReturn();
		expect(await processRefund(t.sql, null, { refundId: r.refundId, lastAttempt: false })).toBe('failed');
		const failed = (await page(r.orderId)).fulfilment[0].refunds[0];
		expect(failed).toMatchObject({ status: 'failed', failureCode: 'stripe_not_configured' });
		expect(failed.failureMessage).toMatch(/STRIPE_SECRET_KEY/);

		expect(await post(r.orderId, 'retryRefund', { refundId: r.refundId })).toEqual({
			status: 200,
			data: { action: 'retryRefund', target: r.refundId, success: expect.stringMatching(/sent to Stripe again/) }
		});
		expect(await getRefund(t.sql, locals.shop!.id, r.refundId)).toMatchObject({ status: 'pending' });
		expect(await t.sql`select 1 from pgboss.job where name = 'refund-send' and data->>'refundId' = ${r.refundId}`).toHaveLength(2);
		const retried = (await listEvents(t.sql, locals.shop!.id, r.returnId)).find((e) => e.type === 'refund.retried');
		expect(retried).toMatchObject({ actorKind: 'staff', actorId: locals.user!.id });

		// Pending again at Stripe: neither retried again nor recorded by hand.
		expect(await post(r.orderId, 'retryRefund', { refundId: r.refundId })).toEqual({
			status: 409,
			data: { action: 'retryRefund', target: r.refundId, error: 'Only a failed refund can be retried; this one is pending' }
		});
		expect(await post(r.orderId, 'recordRefund', { refundId: r.refundId, note: 'Virement' })).toMatchObject({
			status: 409,
			data: { error: 'Stripe is paying this refund: wait for its result before recording it by hand' }
		});

		// Failed again, then paid another way: a succeeded refund cannot be retried.
		await processRefund(t.sql, null, { refundId: r.refundId, lastAttempt: false });
		expect(await post(r.orderId, 'recordRefund', { refundId: r.refundId, note: 'Bank transfer, ref. 4471' })).toMatchObject({ status: 200 });
		expect(await post(r.orderId, 'retryRefund', { refundId: r.refundId })).toEqual({
			status: 409,
			data: { action: 'retryRefund', target: r.refundId, error: 'Only a failed refund can be retried; this one is succeeded' }
		});
		expect(await getRefund(t.sql, locals.shop!.id, r.refundId)).toMatchObject({ status: 'succeeded' });
	});

	it('records a refund paid outside Retour only with a note saying how, once', async () => {
		const r = await acceptedReturn({ paidThroughStripe: false });
		expect((await page(r.orderId)).fulfilment[0].refunds[0]).toMatchObject({ method: 'manual', status: 'pending' });

		expect(await post(r.orderId, 'recordRefund', { refundId: r.refundId, note: '   ' })).toEqual({
			status: 400,
			data: { action: 'recordRefund', target: r.refundId, error: expect.stringMatching(/Say how you paid/), note: '' }
		});
		expect(await getRefund(t.sql, locals.shop!.id, r.refundId)).toMatchObject({ status: 'pending' });

		expect(await post(r.orderId, 'recordRefund', { refundId: r.refundId, note: 'Cheque no. 1234 ' })).toEqual({
			status: 200,
			data: { action: 'recordRefund', target: r.refundId, success: expect.stringMatching(/recorded as paid/) }
		});
		expect(await getRefund(t.sql, locals.shop!.id, r.refundId)).toMatchObject({ status: 'succeeded' });
		const recorded = (await listEvents(t.sql, locals.shop!.id, r.returnId)).find((e) => e.type === 'refund.recorded');
		expect(recorded).toMatchObject({ actorKind: 'staff', actorId: locals.user!.id, payload: { note: 'Cheque no. 1234', amount: 8900 } });

		expect(await post(r.orderId, 'recordRefund', { refundId: r.refundId, note: 'Again' })).toEqual({
			status: 409,
			data: { action: 'recordRefund', target: r.refundId, error: 'This refund is already paid', note: 'Again' }
		});
	});

	it('refuses a refund or a return of another order, another shop, or no id at all', async () => {
		const a = await acceptedReturn({ paidThroughStripe: false });
		const b = await acceptedReturn({ paidThroughStripe: false });
		expect(await post(a.orderId, 'recordRefund', { refundId: b.refundId, note: 'x' })).toMatchObject({ status: 404 });
		expect(await post(a.orderId, 'recordRefund', { refundId: 'nope', note: 'x' })).toMatchObject({ status: 404 });
		expect(await post(a.orderId, 'reception', { returnId: b.returnId, to: 'received' })).toMatchObject({ status: 404 });
		expect(await post(a.orderId, 'recordRefund', { refundId: a.refundId, note: 'x' }, otherShopLocals)).toMatchObject({ status: 404 });
		expect(await getRefund(t.sql, locals.shop!.id, b.refundId)).toMatchObject({ status: 'pending' });
		expect(await getRefund(t.sql, locals.shop!.id, a.refundId)).toMatchObject({ status: 'pending' });
	});

	it('records the parcel on its way, then received, and refuses a move the reception table does not allow', async () => {
		const r = await acceptedReturn({ paidThroughStripe: false });
		expect(await post(r.orderId, 'reception', { returnId: r.returnId, to: 'in_transit' })).toEqual({
			status: 200,
			data: { action: 'reception', target: r.returnId, success: 'Parcel recorded as on its way.' }
		});
		expect((await page(r.orderId)).fulfilment[0].receptionActions).toEqual(['received']);
		expect(await post(r.orderId, 'reception', { returnId: r.returnId, to: 'received' })).toMatchObject({ status: 200 });
		const data = await page(r.orderId);
		expect(data.returns[0].receptionStatus).toBe('received');
		expect(data.fulfilment[0].receptionActions).toEqual([]);
		const moved = (await listEvents(t.sql, locals.shop!.id, r.returnId)).filter((e) => e.type === 'return.reception_changed');
		expect(moved.map((e) => [e.payload.to, e.actorKind, e.actorId])).toEqual([
			['in_transit', 'staff', locals.user!.id],
			['received', 'staff', locals.user!.id]
		]);

		expect(await post(r.orderId, 'reception', { returnId: r.returnId, to: 'in_transit' })).toEqual({
			status: 409,
			data: { action: 'reception', target: r.returnId, error: 'A return cannot go from reception "received" to "in_transit" (allowed: wrong_item)' }
		});
		// Only the two moves staff make by hand are offered to a form.
		expect(await post(r.orderId, 'reception', { returnId: r.returnId, to: 'wrong_item' })).toMatchObject({ status: 400 });
		expect((await page(r.orderId)).returns[0].receptionStatus).toBe('received');
	});
});

describe('the staff label download', () => {
	const get = (orderId: string, rma: string, who = locals) =>
		(downloadLabel as (e: unknown) => Promise<Response>)({ locals: who, url: url(orderId, `/labels/${rma}`), params: { id: orderId, rma } }).catch((e) => {
			if (isHttpError(e)) return new Response(e.body.message, { status: e.status });
			throw e;
		});

	it('serves a made label’s PDF for the order’s return, and nothing for another shop', async () => {
		const r = await acceptedReturn();
		expect((await get(r.orderId, r.rma)).status).toBe(404); // not made yet
		expect(await makeReturnLabel(t.sql, { builtin: builtinLabels }, { shopId: locals.shop!.id, returnId: r.returnId, lastAttempt: true })).toBe('created');

		const response = await get(r.orderId, r.rma);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${r.rma}.pdf"`);
		expect(new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5))).toBe('%PDF-');

		expect((await page(r.orderId)).fulfilment[0].label).toMatchObject({ status: 'created', provider: 'builtin' });
		expect((await get(r.orderId, r.rma, otherShopLocals)).status).toBe(404);
		const other = await acceptedReturn();
		expect((await get(other.orderId, r.rma)).status).toBe(404);
	});
});

describe('the “item not received” claim', () => {
	it('records one claim per order with its note, lists it, and refuses another order’s shop', async () => {
		const o = await insertTestOrder(t.sql, locals.shop!.id, { number: `OP-${++n}`, lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] });
		expect((await page(o.orderId)).claims).toEqual([]);
		expect(await post(o.orderId, 'claim', { note: 'x'.repeat(2001) })).toMatchObject({ status: 400, data: { action: 'claim', error: 'At most 2000 characters.' } });
		expect(await post(o.orderId, 'claim', { note: 'Nothing in the letterbox' }, otherShopLocals)).toMatchObject({ status: 404 });
		expect(await post(o.orderId, 'claim', { note: ' Nothing in the letterbox ' })).toEqual({
			status: 200,
			data: { action: 'claim', target: o.orderId, success: 'Claim recorded.' }
		});
		expect((await page(o.orderId)).claims).toEqual([
			expect.objectContaining({ kind: 'not_received', note: 'Nothing in the letterbox', customerId: o.customerId, createdBy: expect.objectContaining({ id: locals.user!.id }) })
		]);
		expect(await post(o.orderId, 'claim', { note: 'Again' })).toMatchObject({
			status: 409,
			data: { action: 'claim', error: 'A claim is already recorded for this order.', note: 'Again' }
		});
	});
});

describe('the customer’s request for a person, answered from the order’s page', () => {
	async function handedOff(orderId: string, shopId = locals.shop!.id) {
		const [c] = await t.sql`
			insert into conversations (shop_id, order_id, locale, step, state, handoff_requested_at)
			values (${shopId}, ${orderId}, 'fr', 'handoff', ${t.sql.json({ transcript: [] })}, ${new Date(Date.now() - 60_000)})
			returning id`;
		return c.id as string;
	}
	const order = async () =>
		(await insertTestOrder(t.sql, locals.shop!.id, { number: `OP-${++n}`, lines: [{ title: 'Casque sans fil', quantity: 1, unitPrice: 8900 }] })).orderId;

	it('marks it answered beside the conversation, and shows who answered and what they said', async () => {
		const orderId = await order();
		const conversationId = await handedOff(orderId);
		expect((await page(orderId)).conversations).toEqual([expect.objectContaining({ id: conversationId, handoffWaiting: true })]);
		expect((await page(orderId)).handoffNoteMax).toBe(4000);
		expect(await post(orderId, 'resolveHandoff', { conversationId, note: 'Emailed her the steps' })).toEqual({
			status: 200,
			data: { action: 'resolveHandoff', target: conversationId, success: 'Marked as answered: the request has left the queue.' }
		});
		expect((await page(orderId)).conversations).toEqual([
			expect.objectContaining({
				id: conversationId,
				handoffWaiting: false,
				handoffResolution: 'Emailed her the steps',
				handoffResolvedBy: { id: locals.user!.id, name: locals.user!.name, email: 'staff@order-page.example' }
			})
		]);
	});

	it('refuses without a note, or for another order’s or another shop’s conversation, keeping what was typed', async () => {
		const orderId = await order();
		const conversationId = await handedOff(orderId);
		const elsewhere = await handedOff(await order());
		expect(await post(orderId, 'resolveHandoff', { conversationId, note: ' ' })).toEqual({
			status: 400,
			data: { action: 'resolveHandoff', target: conversationId, error: 'Write what you did or told the customer.', note: ' ' }
		});
		expect(await post(orderId, 'resolveHandoff', { conversationId: elsewhere, note: 'Called' })).toEqual({
			status: 404,
			data: { action: 'resolveHandoff', target: elsewhere, error: 'This conversation no longer exists.', note: 'Called' }
		});
		expect(await post(orderId, 'resolveHandoff', { conversationId, note: 'Called' }, otherShopLocals)).toMatchObject({ status: 404 });
		expect((await page(orderId)).conversations).toEqual([expect.objectContaining({ id: conversationId, handoffWaiting: true, handoffResolution: null })]);
	});
});
