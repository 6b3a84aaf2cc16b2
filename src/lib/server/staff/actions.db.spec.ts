import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { DEFAULT_POLICY } from '../policy/defaults';
import { PolicyRefusal } from '../policy/decide';
import { activatePolicyVersion, savePolicyVersion } from '../policy/versions';
import { listEvents } from '../returns/events';
import { createReturn, loadReturn, ReturnError } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import {
	acceptReturn,
	addNote,
	assignReturn,
	createReturnForCustomer,
	holdReturn,
	NOTE_MAX_LENGTH,
	overridePolicy,
	rejectReturn,
	requestInformation,
	StaffActionError,
	staffActionsFor
} from './actions';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let userId: string;
let colleagueId: string;
let outsiderId: string;
let n = 0;
const customer = { kind: 'customer' as const, id: 'c1' };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'staff-actions')).id;
	otherShopId = (await createTestShop(t.sql, 'staff-actions-other')).id;
	userId = (await createTestMember(t.sql, shopId, 'staff', 'lea@staff-actions.example', { name: 'Léa' })).id;
	colleagueId = (await createTestMember(t.sql, shopId, 'admin', 'hugo@staff-actions.example', { name: 'Hugo' })).id;
	outsiderId = (await createTestMember(t.sql, otherShopId, 'owner', 'owner@staff-actions-other.example')).id;
	const pricey = { id: 'pricey', name: 'Expensive items', when: { unitPrice: { min: 50_000 } }, then: { eligibility: 'needs_review' as const } };
	const v = await savePolicyVersion(t.sql, shopId, { ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules, pricey] }, { userId: null, email: null });
	await activatePolicyVersion(t.sql, shopId, v.id, { userId: null, email: null });
});
afterAll(() => t?.close());

/** A coat the policy sends to review (a label return); `price` under 500 € makes it accepted at once instead. */
async function reviewed(options: { price?: number; quantity?: number } = {}) {
	const number = `SA-${++n}`;
	const o = await insertTestOrder(t.sql, shopId, { number, country: 'US', lines: [{ title: 'Manteau', quantity: options.quantity ?? 1, unitPrice: options.price ?? 65_000 }] });
	const r = await createReturn(
		t.sql,
		{ shopId, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind', requestedResolution: 'refund' }] },
		customer
	);
	return { ...o, number, returnId: r.id, rma: r.rma, status: r.decisionStatus };
}

const target = (returnId: string) => ({ shopId, returnId });
const events = (returnId: string) => listEvents(t.sql, shopId, returnId);
const emails = (returnId: string) =>
	t.sql<{ kind: string; to_address: string; subject: string; text_body: string; locale: string }[]>`
		select kind, to_address, subject, text_body, locale from emails where return_id = ${returnId} order by created_at, id`;
const status = async (returnId: string) => (await loadReturn(t.sql, shopId, returnId))!.decisionStatus;

async function refusal(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (e) {
		if (e instanceof ReturnError || e instanceof StaffActionError || e instanceof PolicyRefusal) return { code: e.code, field: e.field };
		throw e;
	}
	throw new Error('expected a refusal');
}

describe('the decisions offered', () => {
	it('follow the decision machine, with accepting a declined return left to the override', () => {
		expect(staffActionsFor('needs_review')).toEqual({ accept: true, reject: true, requestInformation: true, hold: true, override: true });
		expect(staffActionsFor('rejected')).toEqual({ accept: false, reject: false, requestInformation: false, hold: false, override: true });
		expect(staffActionsFor('accepted')).toEqual({ accept: false, reject: false, requestInformation: false, hold: true, override: false });
		expect(staffActionsFor('cancelled')).toEqual({ accept: false, reject: false, requestInformation: false, hold: false, override: false });
	});
});

describe('accepting, asking, holding', () => {
	it('accepts a return under review as the staff member, and its label follows', async () => {
		const r = await reviewed();
		expect(r.status).toBe('needs_review');
		const accepted = await acceptReturn(t.sql, target(r.returnId), userId);
		expect(accepted.decisionStatus).toBe('accepted');
		expect((await events(r.returnId)).at(-1)).toMatchObject({ type: 'return.decision_changed', actorKind: 'staff', actorId: userId, payload: { from: 'needs_review', to: 'accepted' } });
		expect(await t.sql`select status from return_labels where return_id = ${r.returnId}`).toEqual([{ status: 'pending' }]);
		expect(await refusal(acceptReturn(t.sql, target(r.returnId), userId))).toEqual({ code: 'invalid_transition', field: 'to' });
	});

	it('asks the customer a question (emailed as written) and puts a return on hold with a reason, never without', async () => {
		const r = await reviewed();
		expect(await refusal(requestInformation(t.sql, { ...target(r.returnId), question: '  ' }, userId))).toEqual({ code: 'reason_required', field: 'question' });
		await requestInformation(t.sql, { ...target(r.returnId), question: ' Could you send a photo of the label? ' }, userId);
		expect(await status(r.returnId)).toBe('info_requested');
		const [question] = await emails(r.returnId);
		expect(question).toMatchObject({ kind: 'info_requested', to_address: `${r.number}@example.com` });
		expect(question.text_body).toContain('> Could you send a photo of the label?');

		expect(await refusal(holdReturn(t.sql, { ...target(r.returnId), reason: '' }, userId))).toEqual({ code: 'reason_required', field: 'reason' });
		expect(await refusal(holdReturn(t.sql, { ...target(r.returnId), reason: 'x'.repeat(2001) }, userId))).toEqual({ code: 'too_long', field: 'reason' });
		await holdReturn(t.sql, { ...target(r.returnId), reason: 'Waiting for the carrier’s report' }, userId);
		expect(await status(r.returnId)).toBe('on_hold');
		expect((await events(r.returnId)).at(-1)).toMatchObject({ actorId: userId, payload: { to: 'on_hold', reason: 'Waiting for the carrier’s report' } });
		// Holding tells the customer nothing.
		expect((await emails(r.returnId)).map((e) => e.kind)).toEqual(['info_requested']);
	});
});

describe('declining', () => {
	it('declines with the reason and emails it to the customer in their language, in the same transaction', async () => {
		const r = await reviewed();
		await rejectReturn(t.sql, { ...target(r.returnId), reason: ' The coat was bought more than 30 days ago. ' }, userId);
		expect(await status(r.returnId)).toBe('rejected');
		const [email] = await emails(r.returnId);
		// The shop is French and the order has no locale of its own.
		expect(email).toMatchObject({ kind: 'return_rejected', to_address: `${r.number}@example.com`, locale: 'fr' });
		expect(email.subject).toContain(r.number);
		expect(email.text_body).toContain('> The coat was bought more than 30 days ago.');
		expect(email.text_body).toContain(r.rma);
		const [job] = await t.sql`select 1 from pgboss.job j join emails e on e.id::text = j.data ->> 'emailId' where j.name = 'email-send' and e.return_id = ${r.returnId}`;
		expect(job).toBeDefined();
		// Declined is final: the return closes with it.
		expect((await events(r.returnId)).slice(-2)).toEqual([
			expect.objectContaining({ type: 'return.decision_changed', actorKind: 'staff', actorId: userId, payload: { from: 'needs_review', to: 'rejected', reason: 'The coat was bought more than 30 days ago.' } }),
			expect.objectContaining({ type: 'return.closed', actorId: userId })
		]);
	});

	it('refuses without a reason, or from a status the machine does not allow, writing nothing and emailing no one', async () => {
		const r = await reviewed();
		const before = (await events(r.returnId)).length;
		expect(await refusal(rejectReturn(t.sql, { ...target(r.returnId), reason: ' ' }, userId))).toEqual({ code: 'reason_required', field: 'reason' });
		await acceptReturn(t.sql, target(r.returnId), userId);
		expect(await refusal(rejectReturn(t.sql, { ...target(r.returnId), reason: 'Too late' }, userId))).toEqual({ code: 'invalid_transition', field: 'to' });
		expect(await status(r.returnId)).toBe('accepted');
		expect((await events(r.returnId)).length).toBe(before + 1);
		expect((await emails(r.returnId)).map((e) => e.kind)).not.toContain('return_rejected');
		expect(await refusal(rejectReturn(t.sql, { shopId: otherShopId, returnId: r.returnId, reason: 'x' }, outsiderId))).toEqual({ code: 'return_not_found', field: 'returnId' });
	});

	it('emails each decline once: declined, accepted against the policy, held, declined again is two emails', async () => {
		const r = await reviewed();
		await rejectReturn(t.sql, { ...target(r.returnId), reason: 'First look: outside the window.' }, userId);
		await overridePolicy(t.sql, { ...target(r.returnId), reason: 'Customer was abroad, we agreed on the phone', to: 'accepted' }, userId);
		await holdReturn(t.sql, { ...target(r.returnId), reason: 'Checking again' }, userId);
		await rejectReturn(t.sql, { ...target(r.returnId), reason: 'Second look: the coat was worn.' }, userId);
		expect((await emails(r.returnId)).filter((e) => e.kind === 'return_rejected').map((e) => e.text_body.match(/> (.*)/)?.[1])).toEqual([
			'First look: outside the window.',
			'Second look: the coat was worn.'
		]);
	});
});

describe('accepting against the policy', () => {
	it('records the override with its reason and the decision it overrides, then accepts, as the staff member', async () => {
		const r = await reviewed();
		expect(await refusal(overridePolicy(t.sql, { ...target(r.returnId), reason: ' ', to: 'accepted' }, userId))).toEqual({ code: 'reason_required', field: 'reason' });
		expect(await refusal(overridePolicy(t.sql, { ...target(r.returnId), reason: 'x', to: 'rejected' as 'accepted' }, userId))).toEqual({ code: 'invalid_status', field: 'to' });
		await overridePolicy(t.sql, { ...target(r.returnId), reason: 'Loyal customer since 2019', to: 'accepted' }, userId);
		expect(await status(r.returnId)).toBe('accepted');
		const tail = (await events(r.returnId)).slice(-2);
		expect(tail).toEqual([
			expect.objectContaining({
				type: 'return.policy_overridden',
				actorKind: 'staff',
				actorId: userId,
				payload: { reason: 'Loyal customer since 2019', from: 'needs_review', to: 'accepted', policyEligibility: 'needs_review' }
			}),
			expect.objectContaining({ type: 'return.decision_changed', actorId: userId, payload: expect.objectContaining({ from: 'needs_review', to: 'accepted', reason: 'Loyal customer since 2019', override: true }) })
		]);
		// An accepted return has nothing to override.
		expect(await refusal(overridePolicy(t.sql, { ...target(r.returnId), reason: 'Again', to: 'accepted' }, userId))).toEqual({ code: 'not_overridable', field: 'to' });
	});

	it('writes nothing when the acceptance fails: the declined return’s items were taken by another return since', async () => {
		const r = await reviewed({ price: 9_000 });
		expect(r.status).toBe('accepted');
		await holdReturn(t.sql, { ...target(r.returnId), reason: 'Check' }, userId);
		await rejectReturn(t.sql, { ...target(r.returnId), reason: 'Not ours' }, userId);
		await createReturn(
			t.sql,
			{ shopId, orderId: r.orderId, channel: 'customer', lines: [{ orderLineId: r.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] },
			customer
		);
		const before = await events(r.returnId);
		expect(await refusal(overridePolicy(t.sql, { ...target(r.returnId), reason: 'It was ours after all', to: 'accepted' }, userId))).toMatchObject({ code: 'quantity_exceeded' });
		expect(await events(r.returnId)).toEqual(before);
		expect(await status(r.returnId)).toBe('rejected');
	});
});

describe('notes and assignment', () => {
	it('adds a trimmed note of 1 to 4,000 characters to the history, for this shop’s return only', async () => {
		const r = await reviewed();
		expect(await refusal(addNote(t.sql, { ...target(r.returnId), body: '   ' }, userId))).toEqual({ code: 'note_required', field: 'body' });
		expect(await refusal(addNote(t.sql, { ...target(r.returnId), body: 'x'.repeat(NOTE_MAX_LENGTH + 1) }, userId))).toEqual({ code: 'too_long', field: 'body' });
		expect(await refusal(addNote(t.sql, { shopId: otherShopId, returnId: r.returnId, body: 'Hi' }, outsiderId))).toEqual({ code: 'return_not_found', field: 'returnId' });
		await addNote(t.sql, { ...target(r.returnId), body: 'x'.repeat(NOTE_MAX_LENGTH) }, userId);
		await addNote(t.sql, { ...target(r.returnId), body: ' Customer called, will send photos \n' }, userId);
		const notes = (await events(r.returnId)).filter((e) => e.type === 'return.note_added');
		expect(notes.map((e) => [e.actorKind, e.actorId, (e.payload.body as string).length])).toEqual([
			['staff', userId, NOTE_MAX_LENGTH],
			['staff', userId, 'Customer called, will send photos'.length]
		]);
		expect(await status(r.returnId)).toBe('needs_review');
	});

	it('assigns to a member of the shop or to no one, recording each change once', async () => {
		const r = await reviewed();
		expect(await assignReturn(t.sql, { ...target(r.returnId), assigneeId: colleagueId }, userId)).toEqual({
			assignee: { id: colleagueId, name: 'Hugo', email: 'hugo@staff-actions.example' },
			changed: true
		});
		expect(await assignReturn(t.sql, { ...target(r.returnId), assigneeId: colleagueId }, userId)).toMatchObject({ changed: false });
		expect(await refusal(assignReturn(t.sql, { ...target(r.returnId), assigneeId: outsiderId }, userId))).toEqual({ code: 'not_a_member', field: 'assigneeId' });
		expect(await refusal(assignReturn(t.sql, { ...target(r.returnId), assigneeId: 'nobody' }, userId))).toEqual({ code: 'not_a_member', field: 'assigneeId' });
		expect(await assignReturn(t.sql, { ...target(r.returnId), assigneeId: null }, userId)).toEqual({ assignee: null, changed: true });
		const [row] = await t.sql`select assigned_to from returns where id = ${r.returnId}`;
		expect(row.assigned_to).toBeNull();
		const assigned = (await events(r.returnId)).filter((e) => e.type === 'return.assigned');
		expect(assigned.map((e) => [e.actorId, e.payload])).toEqual([
			[userId, { from: null, to: colleagueId }],
			[userId, { from: colleagueId, to: null }]
		]);
	});
});

describe('creating a return for the customer', () => {
	it('goes through the policy as the customer’s would, on the staff channel, as the staff member', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: `SA-${++n}`, country: 'US', lines: [{ title: 'Pull', quantity: 2, unitPrice: 6_000 }] });
		const r = await createReturnForCustomer(
			t.sql,
			{ shopId, orderId: o.orderId, resolution: 'store_credit', method: 'drop_off', lines: [{ orderLineId: o.lineIds[0], quantity: 2, reasonCode: 'too_small', comment: 'Called on the phone' }] },
			userId
		);
		expect(r).toMatchObject({ channel: 'staff', decisionStatus: 'accepted', quote: { resolution: 'store_credit', total: 12_000 } });
		expect(r.lines).toEqual([expect.objectContaining({ quantity: 2, reasonCode: 'too_small', comment: 'Called on the phone', requestedResolution: 'store_credit' })]);
		expect((await events(r.id))[0]).toMatchObject({ type: 'return.created', actorKind: 'staff', actorId: userId, payload: expect.objectContaining({ channel: 'staff' }) });
		const [row] = await t.sql`select return_method, reception_status from returns where id = ${r.id}`;
		expect(row).toEqual({ return_method: 'drop_off', reception_status: 'awaiting' });
	});

	it('meets the same refusals: outside the window, an item to send back, nothing written', async () => {
		const old = await insertTestOrder(t.sql, shopId, {
			number: `SA-${++n}`,
			country: 'US',
			orderedAt: new Date(Date.now() - 200 * 86_400_000),
			lines: [{ title: 'Pull', quantity: 1, unitPrice: 6_000 }]
		});
		const line = (orderLineId: string) => [{ orderLineId, quantity: 1, reasonCode: 'changed_mind' }];
		expect(await refusal(createReturnForCustomer(t.sql, { shopId, orderId: old.orderId, resolution: 'refund', method: 'label', lines: line(old.lineIds[0]) }, userId))).toEqual({
			code: 'not_eligible',
			field: 'lines[0]'
		});
		const fresh = await insertTestOrder(t.sql, shopId, { number: `SA-${++n}`, country: 'US', lines: [{ title: 'Pull', quantity: 1, unitPrice: 6_000 }] });
		expect(await refusal(createReturnForCustomer(t.sql, { shopId, orderId: fresh.orderId, resolution: 'refund', method: 'keep', lines: line(fresh.lineIds[0]) }, userId))).toEqual({
			code: 'keep_not_allowed',
			field: 'lines[0]'
		});
		expect(await t.sql`select id from returns where order_id in ${t.sql([old.orderId, fresh.orderId])}`).toEqual([]);
	});
});
