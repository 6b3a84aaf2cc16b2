import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { DecisionStatus } from '../returns/lifecycle';
import { createReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { listQueue, queueFiltersFrom, type QueueFilters } from './queue';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let me: string;
let colleague: string;
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
let n = 0;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'queue-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'queue-other')).id;
	me = (await createTestMember(t.sql, shopId, 'staff', 'me@queue.example')).id;
	colleague = (await createTestMember(t.sql, shopId, 'admin', 'colleague@queue.example')).id;
});
afterAll(() => t?.close());

/** A return inserted as it stands, with the history and risk score a test needs. */
async function queued(options: {
	decision: DecisionStatus;
	requestedHoursAgo: number;
	score?: number;
	topSignal?: string;
	assignedTo?: string | null;
	changedHoursAgo?: number;
	closed?: boolean;
	shop?: string;
	email?: string;
	orderId?: string;
	rma?: string;
}) {
	const shop = options.shop ?? shopId;
	const number = `Q-${++n}`;
	const order = options.orderId
		? { orderId: options.orderId, customerId: (await t.sql`select customer_id from orders where id = ${options.orderId}`)[0].customer_id as string }
		: await insertTestOrder(t.sql, shop, { number, email: options.email, lines: [{ title: 'Veste', quantity: 1, unitPrice: 12000 }] });
	const rma = options.rma ?? `R-${String(n).padStart(4, '0')}-QQQQ`;
	const [r] = await t.sql`
		insert into returns (shop_id, order_id, customer_id, rma, channel, currency, decision_status, requested_at, assigned_to, closed_at)
		values (${shop}, ${order.orderId}, ${order.customerId}, ${rma}, 'customer', 'EUR', ${options.decision},
			${ago(options.requestedHoursAgo)}, ${options.assignedTo ?? null}, ${options.closed ? new Date() : null})
		returning id`;
	await t.sql`insert into return_events (shop_id, return_id, type, actor_kind, payload, created_at)
		values (${shop}, ${r.id}, 'return.created', 'customer', '{}', ${ago(options.requestedHoursAgo)})`;
	if (options.changedHoursAgo !== undefined) {
		await t.sql`insert into return_events (shop_id, return_id, type, actor_kind, payload, created_at)
			values (${shop}, ${r.id}, 'return.decision_changed', 'staff', ${t.sql.json({ from: 'pending', to: options.decision })}, ${ago(options.changedHoursAgo)})`;
	}
	if (options.score !== undefined) {
		const level = options.score >= 70 ? 'high' : options.score >= 40 ? 'elevated' : 'low';
		const signals = options.topSignal ? [{ code: options.topSignal, points: options.score, params: {} }] : [];
		await t.sql`insert into return_risk_assessments (return_id, shop_id, score, level, signals, profile, scorer)
			values (${r.id}, ${shop}, ${options.score}, ${level}, ${t.sql.json(signals)}, '{}', 'risk-1')`;
	}
	return { id: r.id as string, rma, orderId: order.orderId, number };
}

async function handoff(orderId: string, hoursAgo: number, shop = shopId) {
	await t.sql`insert into conversations (shop_id, order_id, locale, step, state, handoff_requested_at, created_at)
		values (${shop}, ${orderId}, 'fr', 'handoff', '{}', ${ago(hoursAgo)}, ${ago(hoursAgo + 1)})`;
}

const list = (filters: QueueFilters = {}, userId = me) => listQueue(t.sql, shopId, filters, userId);

describe('listQueue', () => {
	let high: Awaited<ReturnType<typeof queued>>;
	let review: Awaited<ReturnType<typeof queued>>;
	let olderReview: Awaited<ReturnType<typeof queued>>;
	let hold: Awaited<ReturnType<typeof queued>>;
	let waiting: Awaited<ReturnType<typeof queued>>;
	let pending: Awaited<ReturnType<typeof queued>>;
	let acceptedWithHandoff: Awaited<ReturnType<typeof queued>>;
	let orderOnly: { orderId: string; number: string };

	beforeAll(async () => {
		high = await queued({ decision: 'needs_review', requestedHoursAgo: 5, changedHoursAgo: 5, score: 82, topSignal: 'past_mismatch', assignedTo: me });
		review = await queued({ decision: 'needs_review', requestedHoursAgo: 10, changedHoursAgo: 10, score: 45, topSignal: 'large_bracket' });
		olderReview = await queued({ decision: 'needs_review', requestedHoursAgo: 30, changedHoursAgo: 30, score: 45, topSignal: 'high_value', email: 'Zoé.Bernard@example.com' });
		hold = await queued({ decision: 'on_hold', requestedHoursAgo: 72, changedHoursAgo: 3, score: 20, assignedTo: colleague });
		waiting = await queued({ decision: 'info_requested', requestedHoursAgo: 100, changedHoursAgo: 50, score: 95, topSignal: 'linked_mismatch' });
		pending = await queued({ decision: 'pending', requestedHoursAgo: 2 });
		// Accepted and still open, the customer asked for a person since: here for that.
		acceptedWithHandoff = await queued({ decision: 'accepted', requestedHoursAgo: 48, changedHoursAgo: 48, score: 10 });
		await handoff(acceptedWithHandoff.orderId, 4);
		// Asked for a person, no return at all.
		const o = await insertTestOrder(t.sql, shopId, { number: 'Q-HANDOFF', lines: [{ title: 'Câble', quantity: 1, unitPrice: 1500 }] });
		await handoff(o.orderId, 6);
		orderOnly = { orderId: o.orderId, number: 'Q-HANDOFF' };

		// Not in the queue: accepted without a request, closed, decided, another shop's.
		await queued({ decision: 'accepted', requestedHoursAgo: 3, score: 90 });
		await queued({ decision: 'rejected', requestedHoursAgo: 3, closed: true });
		await queued({ decision: 'cancelled', requestedHoursAgo: 3, closed: true });
		await queued({ decision: 'needs_review', requestedHoursAgo: 3, score: 99, shop: otherShopId });
		// A request for a person answered by a return since (closed now): nothing waits.
		const answered = await insertTestOrder(t.sql, shopId, { number: 'Q-ANSWERED', lines: [{ title: 'Câble', quantity: 1, unitPrice: 1500 }] });
		await handoff(answered.orderId, 20);
		await queued({ decision: 'cancelled', requestedHoursAgo: 10, closed: true, orderId: answered.orderId });
		// Another shop's request for a person.
		const foreign = await insertTestOrder(t.sql, otherShopId, { number: 'Q-FOREIGN', lines: [{ title: 'Câble', quantity: 1, unitPrice: 1500 }] });
		await handoff(foreign.orderId, 1, otherShopId);
	});

	it('lists what needs a person, by risk score then oldest, waiting on the customer last, with why each is here', async () => {
		const page = await list();
		expect(page.items.map((i) => [i.key, i.reason])).toEqual([
			[high.id, 'risk'],
			[olderReview.id, 'policy_review'],
			[review.id, 'policy_review'],
			[hold.id, 'on_hold'],
			[acceptedWithHandoff.id, 'handoff'],
			[`order:${orderOnly.orderId}`, 'handoff'],
			[pending.id, 'policy_review'],
			[waiting.id, 'info_requested']
		]);
		expect(page.total).toBe(8);
		expect(page.counts).toEqual({ risk: 1, policy_review: 3, handoff: 2, on_hold: 1, info_requested: 1 });
	});

	it('gives each row its return, order, customer, risk, assignee and how long it has waited', async () => {
		const page = await list();
		const row = page.items.find((i) => i.returnId === high.id)!;
		expect(row).toEqual({
			key: high.id,
			returnId: high.id,
			rma: high.rma,
			orderId: high.orderId,
			orderNumber: high.number,
			customerEmail: `${high.number}@example.com`,
			decisionStatus: 'needs_review',
			reason: 'risk',
			risk: { score: 82, level: 'high', topSignal: 'past_mismatch' },
			requestedAt: expect.any(Date),
			handoffRequestedAt: null,
			waitingSince: expect.any(Date),
			assignee: { id: me, email: 'me@queue.example' }
		});
		// Waiting since the last decision change, not since the request.
		const held = page.items.find((i) => i.returnId === hold.id)!;
		expect(Math.round((Date.now() - held.waitingSince.getTime()) / HOUR)).toBe(3);
		expect(held.assignee?.email).toBe('colleague@queue.example');
		// No decision change yet: since the request.
		const fresh = page.items.find((i) => i.returnId === pending.id)!;
		expect(Math.round((Date.now() - fresh.waitingSince.getTime()) / HOUR)).toBe(2);
		expect(fresh.risk).toBeNull();
		// Asked for a person after the decision: since the request for a person.
		const called = page.items.find((i) => i.returnId === acceptedWithHandoff.id)!;
		expect(Math.round((Date.now() - called.waitingSince.getTime()) / HOUR)).toBe(4);
		expect(called.handoffRequestedAt).toBeInstanceOf(Date);

		const order = page.items.find((i) => i.key === `order:${orderOnly.orderId}`)!;
		expect(order).toMatchObject({ returnId: null, rma: null, decisionStatus: null, orderNumber: 'Q-HANDOFF', risk: null, assignee: null });
		expect(Math.round((Date.now() - order.waitingSince.getTime()) / HOUR)).toBe(6);
	});

	it('filters by reason, keeping the other reasons counted for the chips', async () => {
		const page = await list({ reason: 'handoff' });
		expect(page.items.map((i) => i.key)).toEqual([acceptedWithHandoff.id, `order:${orderOnly.orderId}`]);
		expect(page.total).toBe(2);
		expect(page.counts.policy_review).toBe(3);
		expect((await list({ reason: 'info_requested' })).items.map((i) => i.key)).toEqual([waiting.id]);
	});

	it('filters by status, assignee and minimum score', async () => {
		expect((await list({ status: 'needs_review' })).items.map((i) => i.key)).toEqual([high.id, olderReview.id, review.id]);
		expect((await list({ assigned: 'me' })).items.map((i) => i.key)).toEqual([high.id]);
		expect((await list({ assigned: 'me' }, colleague)).items.map((i) => i.key)).toEqual([hold.id]);
		const unassigned = await list({ assigned: 'unassigned' });
		expect(unassigned.items.map((i) => i.key)).not.toContain(high.id);
		expect(unassigned.items.map((i) => i.key)).toContain(`order:${orderOnly.orderId}`);
		expect(unassigned.total).toBe(6);
		const risky = await list({ minScore: 45 });
		expect(risky.items.map((i) => i.key)).toEqual([high.id, olderReview.id, review.id, waiting.id]);
		expect(risky.counts).toEqual({ risk: 1, policy_review: 2, handoff: 0, on_hold: 0, info_requested: 1 });
	});

	it('finds by RMA (any case, dashes or not), order number and email, literally', async () => {
		const body = high.rma.slice(2).replace('-', '').toLowerCase();
		for (const text of [high.rma, high.rma.toLowerCase(), body, `r${body}`, body.slice(0, 5)]) {
			expect((await list({ text })).items.map((i) => i.key), text).toContain(high.id);
		}
		expect((await list({ text: high.rma })).items.map((i) => i.key)).toEqual([high.id]);
		expect((await list({ text: 'q-handoff' })).items.map((i) => i.key)).toEqual([`order:${orderOnly.orderId}`]);
		expect((await list({ text: 'zoé.bernard' })).items.map((i) => i.key)).toEqual([olderReview.id]);
		expect((await list({ text: 'Q_%' })).items).toEqual([]);
	});

	it('pages through the queue', async () => {
		const first = await list({ limit: 3, offset: 0 });
		const second = await list({ limit: 3, offset: 3 });
		const all = await list();
		expect([...first.items, ...second.items].map((i) => i.key)).toEqual(all.items.slice(0, 6).map((i) => i.key));
		expect(first.total).toBe(8);
		expect((await list({ limit: 3, offset: 9 })).items).toEqual([]);
	});

	it('follows a return through its decisions: pending, then waiting on the customer, then out of the queue once accepted', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'Q-LIVE', lines: [{ title: 'Jean', quantity: 1, unitPrice: 8900 }] });
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', autoAccept: false, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] },
			{ kind: 'customer', id: o.customerId }
		);
		expect((await list({ text: r.rma })).items).toMatchObject([{ returnId: r.id, reason: 'policy_review', decisionStatus: 'pending' }]);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'info_requested', reason: 'Photo of the label, please' }, { kind: 'staff', id: me });
		expect((await list({ text: r.rma })).items).toMatchObject([{ reason: 'info_requested' }]);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, { kind: 'staff', id: me });
		expect((await list({ text: r.rma })).items).toEqual([]);
	});
});

describe('queueFiltersFrom', () => {
	it('reads the GET form and ignores what it does not know', () => {
		expect(queueFiltersFrom(new URLSearchParams('why=risk&status=on_hold&assigned=me&min=70&q=%20R-AB12%20&page=3'))).toEqual({
			reason: 'risk',
			status: 'on_hold',
			assigned: 'me',
			minScore: 70,
			text: 'R-AB12',
			page: 3,
			limit: 50,
			offset: 100
		});
		expect(queueFiltersFrom(new URLSearchParams('why=bored&status=lost&assigned=all&min=-4&page=x'))).toEqual({
			reason: null,
			status: null,
			assigned: 'anyone',
			minScore: null,
			text: '',
			page: 1,
			limit: 50,
			offset: 0
		});
		expect(queueFiltersFrom(new URLSearchParams('min=500')).minScore).toBe(100);
	});
});
