import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { listOrderConversations } from '../conversation/staff';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { listEvents } from '../returns/events';
import type { DecisionStatus } from '../returns/lifecycle';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { NOTE_MAX_LENGTH, StaffActionError } from './actions';
import { resolveHandoff } from './handoffs';
import { listQueue } from './queue';
import { loadReturnForStaff } from './return-view';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let staff: { kind: 'staff'; id: string };
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
let n = 0;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'handoff-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'handoff-other')).id;
	const member = await createTestMember(t.sql, shopId, 'staff', 'nina@handoff.example', { name: 'Nina' });
	staff = { kind: 'staff', id: member.id };
});
afterAll(() => t?.close());

async function order(shop = shopId) {
	const number = `H-${++n}`;
	return { ...(await insertTestOrder(t.sql, shop, { number, lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] })), number };
}

/** A return as it stands, asked for `hoursAgo`. */
async function returnOf(o: { orderId: string; customerId: string }, decision: DecisionStatus, hoursAgo: number) {
	const [r] = await t.sql`
		insert into returns (shop_id, order_id, customer_id, rma, channel, currency, decision_status, requested_at)
		values (${shopId}, ${o.orderId}, ${o.customerId}, ${`R-${String(++n).padStart(4, '0')}-HAND`}, 'customer', 'EUR', ${decision}, ${ago(hoursAgo)})
		returning id`;
	return r.id as string;
}

/** A conversation where the customer asked for a person `hoursAgo` (null: they did not), of a return or not. */
async function conversation(orderId: string, hoursAgo: number | null, options: { returnId?: string; shop?: string } = {}) {
	const [c] = await t.sql`
		insert into conversations (shop_id, order_id, locale, step, state, return_id, handoff_requested_at, created_at)
		values (${options.shop ?? shopId}, ${orderId}, 'fr', ${hoursAgo === null ? 'items' : 'handoff'}, ${t.sql.json({ transcript: [] })},
			${options.returnId ?? null}, ${hoursAgo === null ? null : ago(hoursAgo)}, ${ago((hoursAgo ?? 0) + 1)})
		returning id`;
	return c.id as string;
}

const queueKeys = async () => (await listQueue(t.sql, shopId, {}, staff.id)).items.map((i) => [i.key, i.reason]);
const stored = async (id: string) =>
	(
		await t.sql`select handoff_resolved_at, handoff_resolved_by, handoff_resolution from conversations where id = ${id}`
	)[0] as { handoff_resolved_at: Date | null; handoff_resolved_by: string | null; handoff_resolution: string | null };
const eventCount = async () => Number((await t.sql`select count(*)::int as n from return_events`)[0].n);

async function refusal(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (e) {
		if (e instanceof StaffActionError) return { code: e.code, field: e.field };
		throw e;
	}
	throw new Error('expected a refusal');
}

describe('resolveHandoff', () => {
	it('takes an order’s request for a person out of the queue, with who answered and what they said', async () => {
		const o = await order();
		const id = await conversation(o.orderId, 3);
		expect(await queueKeys()).toContainEqual([`order:${o.orderId}`, 'handoff']);
		const before = await eventCount();

		const resolved = await resolveHandoff(t.sql, shopId, id, '  Called her: a new pair leaves tomorrow.  ', staff);

		expect(resolved).toEqual({ conversationId: id, returnIds: [], resolvedAt: expect.any(Date), resolvedBy: staff.id, note: 'Called her: a new pair leaves tomorrow.' });
		expect(await stored(id)).toEqual({ handoff_resolved_at: resolved.resolvedAt, handoff_resolved_by: staff.id, handoff_resolution: 'Called her: a new pair leaves tomorrow.' });
		expect((await queueKeys()).map(([key]) => key)).not.toContain(`order:${o.orderId}`);
		// No return: nothing to add to a return's history.
		expect(await eventCount()).toBe(before);
		const [c] = await listOrderConversations(t.sql, shopId, o.orderId);
		expect(c).toMatchObject({
			id,
			handoffWaiting: false,
			handoffResolvedAt: resolved.resolvedAt,
			handoffResolution: 'Called her: a new pair leaves tomorrow.',
			handoffResolvedBy: { id: staff.id, name: 'Nina', email: 'nina@handoff.example' }
		});
	});

	it('takes an open accepted return out of the queue and says so in the return’s history, as the staff member', async () => {
		const o = await order();
		const returnId = await returnOf(o, 'accepted', 48);
		const id = await conversation(o.orderId, 2, { returnId });
		expect(await queueKeys()).toContainEqual([returnId, 'handoff']);
		expect((await loadReturnForStaff(t.sql, shopId, returnId))?.conversation).toMatchObject({ id, handoffWaiting: true, handoffResolvedAt: null, handoffResolvedBy: null });

		const resolved = await resolveHandoff(t.sql, shopId, id, 'Emailed the label again', staff);

		expect(resolved.returnIds).toEqual([returnId]);
		expect((await queueKeys()).map(([key]) => key)).not.toContain(returnId);
		const events = await listEvents(t.sql, shopId, returnId);
		expect(events.filter((e) => e.type === 'return.handoff_resolved')).toEqual([
			expect.objectContaining({ actorKind: 'staff', actorId: staff.id, payload: { conversationId: id, note: 'Emailed the label again' }, createdAt: resolved.resolvedAt })
		]);
		expect((await loadReturnForStaff(t.sql, shopId, returnId))?.conversation).toMatchObject({
			handoffWaiting: false,
			handoffResolution: 'Emailed the label again',
			handoffResolvedBy: { id: staff.id, name: 'Nina', email: 'nina@handoff.example' }
		});
	});

	it('answers a later request on the order from the return’s page: shown there, out of the queue, in the return’s history', async () => {
		// As the engine makes them: the conversation that asked for a person has no return of its own.
		const o = await order();
		const returnId = await returnOf(o, 'accepted', 48);
		const closedId = await returnOf(o, 'rejected', 40);
		const earlier = await conversation(o.orderId, 60); // before the return was asked for: not this return's
		const id = await conversation(o.orderId, 2);
		expect(await queueKeys()).toContainEqual([returnId, 'handoff']);
		const view = await loadReturnForStaff(t.sql, shopId, returnId);
		expect(view?.handoffs.map((h) => [h.id, h.handoffWaiting])).toEqual([[id, true]]);
		expect(await refusal(resolveHandoff(t.sql, shopId, earlier, 'Called', staff, { returnId }))).toEqual({ code: 'conversation_not_found', field: 'conversationId' });

		const resolved = await resolveHandoff(t.sql, shopId, id, 'Answered by phone', staff, { returnId });

		expect(resolved.returnIds).toEqual([returnId]); // not the declined one
		expect((await queueKeys()).map(([key]) => key)).not.toContain(returnId);
		expect((await listEvents(t.sql, shopId, returnId)).filter((e) => e.type === 'return.handoff_resolved')).toEqual([
			expect.objectContaining({ actorKind: 'staff', actorId: staff.id, payload: { conversationId: id, note: 'Answered by phone' } })
		]);
		expect((await listEvents(t.sql, shopId, closedId)).some((e) => e.type === 'return.handoff_resolved')).toBe(false);
		expect((await loadReturnForStaff(t.sql, shopId, returnId))?.handoffs).toEqual([
			expect.objectContaining({ id, handoffWaiting: false, handoffResolution: 'Answered by phone', handoffResolvedBy: { id: staff.id, name: 'Nina', email: 'nina@handoff.example' } })
		]);
	});

	it('answered from the order’s page, writes the answer in the history of the open return the queue listed it for', async () => {
		const o = await order();
		const returnId = await returnOf(o, 'accepted', 48);
		const id = await conversation(o.orderId, 2);
		const resolved = await resolveHandoff(t.sql, shopId, id, 'Answered by email', staff, { orderId: o.orderId });
		expect(resolved.returnIds).toEqual([returnId]);
		expect((await queueKeys()).map(([key]) => key)).not.toContain(returnId);
	});

	it('keeps a return waiting for its decision in the queue for that, once the request for a person is answered', async () => {
		const o = await order();
		const returnId = await returnOf(o, 'needs_review', 10);
		const id = await conversation(o.orderId, 2, { returnId });
		expect(await queueKeys()).toContainEqual([returnId, 'handoff']);
		await resolveHandoff(t.sql, shopId, id, 'Told them we decide today', staff);
		expect(await queueKeys()).toContainEqual([returnId, 'policy_review']);
	});

	it('refuses a missing or too long note, another shop’s or another order’s conversation, and writes nothing', async () => {
		const o = await order();
		const returnId = await returnOf(o, 'accepted', 48);
		const id = await conversation(o.orderId, 2, { returnId });
		const foreignOrder = await order(otherShopId);
		const foreign = await conversation(foreignOrder.orderId, 1, { shop: otherShopId });
		const elsewhere = await order();
		const before = await eventCount();

		expect(await refusal(resolveHandoff(t.sql, shopId, id, '   ', staff))).toEqual({ code: 'note_required', field: 'note' });
		expect(await refusal(resolveHandoff(t.sql, shopId, id, undefined, staff))).toEqual({ code: 'note_required', field: 'note' });
		expect(await refusal(resolveHandoff(t.sql, shopId, id, 'x'.repeat(NOTE_MAX_LENGTH + 1), staff))).toEqual({ code: 'too_long', field: 'note' });
		expect(await refusal(resolveHandoff(t.sql, shopId, foreign, 'Called', staff))).toEqual({ code: 'conversation_not_found', field: 'conversationId' });
		expect(await refusal(resolveHandoff(t.sql, shopId, 'not-a-conversation', 'Called', staff))).toEqual({ code: 'conversation_not_found', field: 'conversationId' });
		expect(await refusal(resolveHandoff(t.sql, shopId, id, 'Called', staff, { orderId: elsewhere.orderId }))).toEqual({
			code: 'conversation_not_found',
			field: 'conversationId'
		});
		expect(await refusal(resolveHandoff(t.sql, shopId, id, 'Called', staff, { returnId: crypto.randomUUID() }))).toEqual({
			code: 'conversation_not_found',
			field: 'conversationId'
		});

		const nothing = { handoff_resolved_at: null, handoff_resolved_by: null, handoff_resolution: null };
		expect(await stored(id)).toEqual(nothing);
		expect(await stored(foreign)).toEqual(nothing);
		expect(await eventCount()).toBe(before);
		expect(await queueKeys()).toContainEqual([returnId, 'handoff']);
		// Within its own order and return, and the longest note, it goes through.
		await resolveHandoff(t.sql, shopId, id, 'x'.repeat(NOTE_MAX_LENGTH), staff, { orderId: o.orderId, returnId });
		expect((await stored(id)).handoff_resolution).toHaveLength(NOTE_MAX_LENGTH);
	});

	it('refuses a conversation with no request for a person, or one answered already, and writes nothing', async () => {
		const o = await order();
		const returnId = await returnOf(o, 'accepted', 48);
		const quiet = await conversation(o.orderId, null);
		expect(await refusal(resolveHandoff(t.sql, shopId, quiet, 'Called', staff))).toEqual({ code: 'handoff_not_waiting', field: 'conversationId' });
		expect(await stored(quiet)).toEqual({ handoff_resolved_at: null, handoff_resolved_by: null, handoff_resolution: null });

		const id = await conversation(o.orderId, 2, { returnId });
		const first = await resolveHandoff(t.sql, shopId, id, 'Called', staff);
		const before = await eventCount();
		expect(await refusal(resolveHandoff(t.sql, shopId, id, 'Called again', staff))).toEqual({ code: 'handoff_not_waiting', field: 'conversationId' });
		expect(await stored(id)).toEqual({ handoff_resolved_at: first.resolvedAt, handoff_resolved_by: staff.id, handoff_resolution: 'Called' });
		expect(await eventCount()).toBe(before);
	});

	it('answers a request once when two staff members answer it together', async () => {
		const o = await order();
		const id = await conversation(o.orderId, 1);
		const results = await Promise.allSettled([resolveHandoff(t.sql, shopId, id, 'First', staff), resolveHandoff(t.sql, shopId, id, 'Second', staff)]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [rejected] = results.filter((r) => r.status === 'rejected');
		expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'handoff_not_waiting' });
	});

	it('shows a request made after the answer again: in a new conversation, or asked again in the same one', async () => {
		const o = await order();
		const first = await conversation(o.orderId, 5);
		const answered = await resolveHandoff(t.sql, shopId, first, 'Called', staff);
		expect((await queueKeys()).map(([key]) => key)).not.toContain(`order:${o.orderId}`);

		const second = await conversation(o.orderId, 1);
		expect(await queueKeys()).toContainEqual([`order:${o.orderId}`, 'handoff']);
		// Waiting since the new request, not the answered one.
		const [{ handoff_requested_at: asked }] = await t.sql`select handoff_requested_at from conversations where id = ${second}`;
		const page = await listQueue(t.sql, shopId, { reason: 'handoff' }, staff.id);
		expect(page.items.find((i) => i.key === `order:${o.orderId}`)?.handoffRequestedAt).toEqual(asked);
		await resolveHandoff(t.sql, shopId, second, 'Called back', staff);
		expect((await queueKeys()).map(([key]) => key)).not.toContain(`order:${o.orderId}`);

		// The same conversation asking again after its answer waits again (and can be answered again).
		await t.sql`update conversations set handoff_requested_at = ${new Date(answered.resolvedAt.getTime() + 1)} where id = ${first}`;
		expect(await queueKeys()).toContainEqual([`order:${o.orderId}`, 'handoff']);
		expect((await listOrderConversations(t.sql, shopId, o.orderId)).find((c) => c.id === first)).toMatchObject({ handoffWaiting: true, handoffResolution: 'Called' });
		await resolveHandoff(t.sql, shopId, first, 'Called a third time', staff);
		expect((await stored(first)).handoff_resolution).toBe('Called a third time');
		expect((await queueKeys()).map(([key]) => key)).not.toContain(`order:${o.orderId}`);
	});

	it('keeps the answer when the staff member who gave it is deleted', async () => {
		const o = await order();
		const leaving = await createTestMember(t.sql, shopId, 'staff', 'leaving@handoff.example');
		const id = await conversation(o.orderId, 1);
		await resolveHandoff(t.sql, shopId, id, 'Called', { kind: 'staff', id: leaving.id });
		await t.sql`delete from users where id = ${leaving.id}`;
		expect(await stored(id)).toMatchObject({ handoff_resolved_by: null, handoff_resolution: 'Called' });
		expect((await listOrderConversations(t.sql, shopId, o.orderId))[0]).toMatchObject({ handoffWaiting: false, handoffResolvedBy: null, handoffResolution: 'Called' });
	});

	it('is checked by the schema too: an answer needs its time and its words', async () => {
		const o = await order();
		const id = await conversation(o.orderId, 1);
		await expect(t.sql`update conversations set handoff_resolved_at = now() where id = ${id}`).rejects.toThrow(/conversations_handoff_resolution_complete/);
		await expect(t.sql`update conversations set handoff_resolved_at = now(), handoff_resolution = '' where id = ${id}`).rejects.toThrow(/handoff_resolution/);
	});
});
