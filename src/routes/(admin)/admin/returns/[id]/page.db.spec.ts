import { createHash } from 'node:crypto';
import { isActionFailure, isHttpError, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { DEFAULT_POLICY } from '$lib/server/policy/defaults';
import { activatePolicyVersion, savePolicyVersion } from '$lib/server/policy/versions';
import { listEvents } from '$lib/server/returns/events';
import { createReturn, loadReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';
import { GET as photo } from './photos/[photoId]/+server';

/** The staff's page for one return: what its load shows, and what its decisions do, as a browser posts them. */

let t: TestDatabase;
let staff: App.Locals;
let colleague: App.Locals;
let otherShop: App.Locals;
let n = 0;

beforeAll(async () => {
	t = await createAppTestDatabase('r'.repeat(64));
	const shop = await createTestShop(t.sql, 'return-page');
	const s = await createTestMember(t.sql, shop.id, 'staff', 'staff@return-page.example', { name: 'Sacha' });
	const a = await createTestMember(t.sql, shop.id, 'admin', 'admin@return-page.example', { name: 'Alix' });
	staff = { user: { id: s.id, email: s.email, name: s.name }, session: null, shop, role: 'staff' };
	colleague = { user: { id: a.id, email: a.email, name: a.name }, session: null, shop, role: 'admin' };
	const other = await createTestShop(t.sql, 'return-page-other');
	const o = await createTestMember(t.sql, other.id, 'owner', 'owner@return-page-other.example');
	otherShop = { user: { id: o.id, email: o.email, name: o.name }, session: null, shop: other, role: 'owner' };
	const pricey = { id: 'pricey', name: 'Expensive items', when: { unitPrice: { min: 50_000 } }, then: { eligibility: 'needs_review' as const } };
	const v = await savePolicyVersion(t.sql, shop.id, { ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules, pricey] }, { userId: null, email: null });
	await activatePolicyVersion(t.sql, shop.id, v.id, { userId: null, email: null });
});
afterAll(() => t?.close());

/** A coat the policy sends to review. */
async function reviewed() {
	const number = `RP-${++n}`;
	const o = await insertTestOrder(t.sql, staff.shop!.id, { number, country: 'US', lines: [{ title: 'Manteau', quantity: 1, unitPrice: 65_000 }] });
	const r = await createReturn(
		t.sql,
		{ shopId: staff.shop!.id, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind', requestedResolution: 'refund' }] },
		{ kind: 'customer', id: o.customerId }
	);
	return { ...o, number, returnId: r.id, rma: r.rma };
}

const url = (id: string, search = '') => new URL(`https://retour.example/admin/returns/${id}${search}`);

async function page(id: string, who = staff) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url: url(id), params: { id } })) as PageServerData;
}

/** The load's or the endpoint's answer when it throws: the HTTP status, or where it redirects. */
async function thrown(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (e) {
		if (isHttpError(e)) return { status: e.status };
		if (isRedirect(e)) return { status: e.status, location: e.location };
		throw e;
	}
	throw new Error('expected it to throw');
}

async function post(id: string, action: keyof typeof actions, fields: Record<string, string>, who = staff) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	const request = new Request(url(id, `?/${action}`), { method: 'POST', body: form });
	const result = await (actions[action] as (e: unknown) => Promise<unknown>)({ locals: who, url: url(id, `?/${action}`), params: { id }, request });
	if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
	return { status: 200, data: result as Record<string, unknown> };
}

const status = async (id: string) => (await loadReturn(t.sql, staff.shop!.id, id))!.decisionStatus;

describe('the staff’s return page', () => {
	it('loads the return with the decisions its status allows, the team to assign, and the limits', async () => {
		const r = await reviewed();
		const data = await page(r.returnId);
		expect(data.view.return).toMatchObject({ id: r.returnId, rma: r.rma, decisionStatus: 'needs_review' });
		expect(data.view.policy?.lines[0].rules).toEqual([{ id: 'pricey', name: 'Expensive items' }]);
		expect(data.available).toEqual({ accept: true, reject: true, requestInformation: true, hold: true, override: true });
		expect(data.members.map((p) => p.email).sort()).toEqual(['admin@return-page.example', 'staff@return-page.example']);
		expect(data.me).toBe(staff.user!.id);
		expect(data.limits).toEqual({ note: 4000, reason: 2000 });
	});

	it('is for the shop’s team only: sign-in first, nothing of another shop', async () => {
		const r = await reviewed();
		const anonymous: App.Locals = { user: null, session: null, shop: null, role: null };
		expect(await thrown(page(r.returnId, anonymous))).toEqual({ status: 303, location: `/login?next=${encodeURIComponent(`/admin/returns/${r.returnId}`)}` });
		expect(await thrown(page(r.returnId, otherShop))).toEqual({ status: 404 });
		expect(await thrown(page('not-a-return'))).toEqual({ status: 404 });
		expect(await thrown(post(r.returnId, 'accept', {}, anonymous))).toMatchObject({ status: 303 });
		expect(await post(r.returnId, 'accept', {}, otherShop)).toMatchObject({ status: 404, data: { action: 'accept', error: 'This return no longer exists.' } });
		expect(await status(r.returnId)).toBe('needs_review');
	});

	it('accepts, then says the decision moved on when accepted again', async () => {
		const r = await reviewed();
		expect(await post(r.returnId, 'accept', {})).toEqual({ status: 200, data: { action: 'accept', success: 'Return accepted.' } });
		expect(await status(r.returnId)).toBe('accepted');
		expect((await page(r.returnId)).available).toMatchObject({ accept: false, reject: false, hold: true });
		expect(await post(r.returnId, 'accept', {})).toEqual({ status: 409, data: { action: 'accept', error: 'Not possible while the return is “Accepted”.', field: null } });
	});

	it('declines only with a reason and a confirmation, keeping what was typed, and emails the customer', async () => {
		const r = await reviewed();
		expect(await post(r.returnId, 'reject', { reason: 'Outside the window' })).toEqual({
			status: 400,
			data: { action: 'reject', error: 'Tick the box to confirm the decline.', field: 'confirm', value: 'Outside the window' }
		});
		expect(await post(r.returnId, 'reject', { reason: '  ', confirm: 'yes' })).toEqual({
			status: 400,
			data: { action: 'reject', error: 'Write a reason: it is required for this decision.', field: 'reason', value: '  ' }
		});
		expect(await status(r.returnId)).toBe('needs_review');
		expect(await post(r.returnId, 'reject', { reason: 'The coat was bought 45 days ago.', confirm: 'yes' })).toMatchObject({ status: 200, data: { action: 'reject' } });
		expect(await status(r.returnId)).toBe('rejected');
		const [email] = await t.sql`select kind, text_body from emails where return_id = ${r.returnId}`;
		expect(email.kind).toBe('return_rejected');
		expect(email.text_body).toContain('The coat was bought 45 days ago.');
		expect((await page(r.returnId)).available).toEqual({ accept: false, reject: false, requestInformation: false, hold: false, override: true });
	});

	it('asks for information and holds, with their words required', async () => {
		const r = await reviewed();
		expect(await post(r.returnId, 'info', { question: '' })).toMatchObject({ status: 400, data: { error: 'Write the question to ask the customer.', field: 'question' } });
		expect(await post(r.returnId, 'info', { question: 'Is the tag still on?' })).toEqual({ status: 200, data: { action: 'info', success: 'Question sent to the customer.' } });
		expect(await status(r.returnId)).toBe('info_requested');
		expect(await post(r.returnId, 'hold', { reason: 'x'.repeat(2001) })).toMatchObject({ status: 400, data: { error: 'At most 2000 characters.', field: 'reason' } });
		expect(await post(r.returnId, 'hold', { reason: 'Waiting for the carrier' })).toMatchObject({ status: 200, data: { action: 'hold' } });
		expect(await status(r.returnId)).toBe('on_hold');
	});

	it('accepts against the policy with a reason, recorded in the history as the staff member', async () => {
		const r = await reviewed();
		expect(await post(r.returnId, 'override', { reason: '' })).toMatchObject({ status: 400, data: { action: 'override', field: 'reason' } });
		expect(await post(r.returnId, 'override', { reason: 'Long-standing customer' })).toEqual({
			status: 200,
			data: { action: 'override', success: 'Return accepted against the policy; your reason is in the history.' }
		});
		const overridden = (await listEvents(t.sql, staff.shop!.id, r.returnId)).find((e) => e.type === 'return.policy_overridden');
		expect(overridden).toMatchObject({ actorKind: 'staff', actorId: staff.user!.id, payload: { reason: 'Long-standing customer', from: 'needs_review' } });
		expect(await post(r.returnId, 'override', { reason: 'Again' })).toMatchObject({
			status: 409,
			data: { error: 'Only a return sent to review or declined can be accepted against the policy.' }
		});
	});

	it('adds notes and assigns: to me, to a colleague, to no one; never to someone outside the team', async () => {
		const r = await reviewed();
		expect(await post(r.returnId, 'note', { body: ' ' })).toMatchObject({ status: 400, data: { action: 'note', error: 'Write the note first.', field: 'body' } });
		expect(await post(r.returnId, 'note', { body: 'Customer sent photos by email' })).toEqual({ status: 200, data: { action: 'note', success: 'Note added.' } });
		expect(await post(r.returnId, 'assign', { assignee: 'me' })).toEqual({ status: 200, data: { action: 'assign', success: 'Assigned to Sacha.' } });
		expect(await post(r.returnId, 'assign', { assignee: colleague.user!.id })).toEqual({ status: 200, data: { action: 'assign', success: 'Assigned to Alix.' } });
		expect(await post(r.returnId, 'assign', { assignee: otherShop.user!.id })).toMatchObject({ status: 400, data: { error: 'This person is not a member of the shop’s team.' } });
		expect((await page(r.returnId)).view.return.assignee).toMatchObject({ id: colleague.user!.id });
		expect(await post(r.returnId, 'assign', { assignee: '' })).toEqual({ status: 200, data: { action: 'assign', success: 'No one is assigned now.' } });
		const history = (await page(r.returnId)).view.events.filter((e) => e.type === 'return.note_added' || e.type === 'return.assigned');
		expect(history.map((e) => [e.type, e.actor?.name, e.assignee?.name ?? null])).toEqual([
			['return.note_added', 'Sacha', null],
			['return.assigned', 'Sacha', 'Sacha'],
			['return.assigned', 'Sacha', 'Alix'],
			['return.assigned', 'Sacha', null]
		]);
	});
});

describe('the return’s photos', () => {
	const get = (id: string, photoId: string, who = staff) =>
		(photo as (e: unknown) => Promise<Response>)({ locals: who, url: url(id, `/photos/${photoId}`), params: { id, photoId } }).catch((e) => {
			if (isHttpError(e)) return new Response(e.body.message, { status: e.status });
			if (isRedirect(e)) return new Response(null, { status: e.status });
			throw e;
		});

	it('serves the customer’s photo with its checked type, for the shop’s team only', async () => {
		const r = await reviewed();
		const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2]);
		const [conversation] = await t.sql`
			insert into conversations (shop_id, order_id, locale, step, state, return_id)
			values (${staff.shop!.id}, ${r.orderId}, 'en', 'submitted', ${t.sql.json({ transcript: [] })}, ${r.returnId}) returning id`;
		const [p] = await t.sql`
			insert into conversation_photos (shop_id, conversation_id, content_type, byte_size, sha256, bytes)
			values (${staff.shop!.id}, ${conversation.id}, 'image/jpeg', ${bytes.length}, ${createHash('sha256').update(bytes).digest('hex')}, ${Buffer.from(bytes)})
			returning id`;
		expect((await page(r.returnId)).view.conversation?.photos).toEqual([{ id: p.id, contentType: 'image/jpeg' }]);

		const response = await get(r.returnId, p.id);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/jpeg');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toMatch(/^private/);
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

		expect((await get(r.returnId, p.id, otherShop)).status).toBe(404);
		expect((await get(r.returnId, p.id, { user: null, session: null, shop: null, role: null })).status).toBe(303);
		const other = await reviewed();
		expect((await get(other.returnId, p.id)).status).toBe(404);
	});
});

describe('the customer’s request for a person, answered from the return’s page', () => {
	/** The return's conversation, in which the customer asked for a person. */
	async function handedOff(r: { orderId: string; returnId: string }) {
		const [c] = await t.sql`
			insert into conversations (shop_id, order_id, locale, step, state, return_id, handoff_requested_at)
			values (${staff.shop!.id}, ${r.orderId}, 'en', 'handoff', ${t.sql.json({ transcript: [] })}, ${r.returnId}, ${new Date(Date.now() - 60_000)})
			returning id`;
		return c.id as string;
	}

	it('marks it answered with what the customer was told, in the history as the staff member', async () => {
		const r = await reviewed();
		const conversationId = await handedOff(r);
		expect((await page(r.returnId)).view.conversation).toMatchObject({ id: conversationId, handoffWaiting: true, handoffResolvedAt: null });

		expect(await post(r.returnId, 'resolveHandoff', { conversationId, note: ' Called: the refund leaves on Monday. ' })).toEqual({
			status: 200,
			data: { action: 'resolveHandoff', success: 'Marked as answered: the request has left the queue.', conversationId }
		});
		const view = (await page(r.returnId)).view;
		expect(view.conversation).toMatchObject({
			handoffWaiting: false,
			handoffResolvedAt: expect.any(Date),
			handoffResolution: 'Called: the refund leaves on Monday.',
			handoffResolvedBy: { id: staff.user!.id, name: 'Sacha', email: 'staff@return-page.example' }
		});
		expect(view.events.filter((e) => e.type === 'return.handoff_resolved')).toEqual([
			expect.objectContaining({ actor: expect.objectContaining({ name: 'Sacha' }), payload: { conversationId, note: 'Called: the refund leaves on Monday.' } })
		]);
		expect(await post(r.returnId, 'resolveHandoff', { conversationId, note: 'Again' })).toEqual({
			status: 409,
			data: { action: 'resolveHandoff', error: 'No request for a person waits here: it was answered already.', field: 'conversationId', value: 'Again', conversationId }
		});
	});

	it('refuses a missing or too long note, another return’s conversation and another shop, keeping what was typed', async () => {
		const r = await reviewed();
		const conversationId = await handedOff(r);
		const other = await reviewed();
		const othersConversation = await handedOff(other);
		expect(await post(r.returnId, 'resolveHandoff', { conversationId, note: '  ' })).toEqual({
			status: 400,
			data: { action: 'resolveHandoff', error: 'Write what you did or told the customer.', field: 'note', value: '  ', conversationId }
		});
		const long = 'x'.repeat(4001);
		expect(await post(r.returnId, 'resolveHandoff', { conversationId, note: long })).toEqual({
			status: 400,
			data: { action: 'resolveHandoff', error: 'At most 4000 characters.', field: 'note', value: long, conversationId }
		});
		expect(await post(r.returnId, 'resolveHandoff', { conversationId: othersConversation, note: 'Called' })).toEqual({
			status: 404,
			data: { action: 'resolveHandoff', error: 'This conversation no longer exists.', field: 'conversationId', value: 'Called', conversationId: othersConversation }
		});
		expect(await post(r.returnId, 'resolveHandoff', { conversationId, note: 'Called' }, otherShop)).toMatchObject({ status: 404 });
		expect((await page(r.returnId)).view.conversation).toMatchObject({ handoffWaiting: true, handoffResolution: null });
		expect((await page(other.returnId)).view.conversation).toMatchObject({ handoffWaiting: true, handoffResolution: null });
		expect((await listEvents(t.sql, staff.shop!.id, r.returnId)).filter((e) => e.type === 'return.handoff_resolved')).toEqual([]);
	});
});
