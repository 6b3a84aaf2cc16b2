import { isActionFailure, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { signReturnToken } from '$lib/server/orders/return-links';
import { createReturn, transitionReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';

/** The team's question on the customer's page, answered with the form a browser without JavaScript posts. */

const SECRET = 'a'.repeat(64);
const staff = { kind: 'staff' as const, id: 'u-staff' };
const QUESTION = 'Could you send a photo of the stain?';
const PNG = () => new File([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48])], 'stain.png', { type: 'image/png' });
let t: TestDatabase;
let shopId: string;
let n = 0;

beforeAll(async () => {
	t = await createAppTestDatabase(SECRET);
	shopId = (await createTestShop(t.sql, 'answer-page')).id;
});
afterAll(() => t.close());

type Outcome = { redirect: string } | { status: number; data: Record<string, unknown> };

async function post(token: string, action: keyof typeof actions, fields: Record<string, string | string[] | File | File[]>): Promise<Outcome> {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value);
	const request = new Request(`https://returns.example.com/r/${token}?/${action}`, { method: 'POST', body: form });
	try {
		const result = await (actions[action] as (e: unknown) => Promise<unknown>)({ params: { token }, request });
		if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
		throw new Error(`the action answered neither a redirect nor a failure: ${JSON.stringify(result)}`);
	} catch (error) {
		if (isRedirect(error)) return { redirect: error.location };
		throw error;
	}
}

type Page = {
	conversation: { id: string; messages: { role: string; text: string }[] };
	infoRequests: { returnId: string; rma: string; conversationId: string | null; question: string; answer: { text: string; photos: number } | null }[];
	order: { returns: { id: string; decisionStatus: string }[] };
};
const page = async (token: string) =>
	(await (load as (e: unknown) => Promise<unknown>)({ params: { token }, setHeaders: () => {}, url: new URL(`https://returns.example.com/r/${token}`) })) as Page;

/** A return made on the page, accepted, then put on hold and asked about by the team. */
async function askedAfterConversation() {
	const o = await insertTestOrder(t.sql, shopId, { number: `ans-${++n}`, lines: [{ title: 'Chemise', quantity: 1, unitPrice: 4500 }] });
	const token = signReturnToken(SECRET, o.orderId);
	await post(token, 'reply', { conversationId: '', actionId: 'items', item: o.lineIds[0] });
	const id = (await page(token)).conversation.id;
	const steps: Record<string, string>[] = [{ actionId: 'reason', choice: 'changed_mind' }, { actionId: 'refund' }, { actionId: 'method', choice: 'label' }, { actionId: 'confirm', expectedTotal: '4500' }];
	for (const fields of steps) {
		await post(token, 'reply', { conversationId: id, ...fields });
	}
	const returnId = (await page(token)).order.returns[0].id;
	await transitionReturn(t.sql, { shopId, returnId, machine: 'decision', to: 'on_hold', reason: 'Checking' }, staff);
	await transitionReturn(t.sql, { shopId, returnId, machine: 'decision', to: 'info_requested', reason: QUESTION }, staff);
	return { ...o, token, returnId, conversationId: id };
}

describe('answering the team’s question on the order page, without JavaScript', () => {
	it('shows the question in the conversation, keeps a refused answer beside its field, then takes it and says thanks', async () => {
		const a = await askedAfterConversation();
		const before = await page(a.token);
		expect(before.infoRequests).toEqual([expect.objectContaining({ returnId: a.returnId, conversationId: a.conversationId, question: QUESTION, answer: null })]);
		expect(before.conversation.id).toBe(a.conversationId);

		expect(await post(a.token, 'answer', { returnId: a.returnId, text: '   ' })).toEqual({
			status: 422,
			data: { answer: { returnId: a.returnId, text: '   ', field: 'text', error: 'Please write your answer before sending it.' } }
		});
		const long = 'It is a small stain. '.repeat(200);
		expect(await post(a.token, 'answer', { returnId: a.returnId, text: long })).toMatchObject({
			status: 422,
			data: { answer: { field: 'text', text: long, error: `Your answer is ${long.trim().length} characters long. Please shorten it to 4,000 characters or fewer.` } }
		});
		expect(await post(a.token, 'answer', { returnId: a.returnId, text: 'See the photo', photos: new File(['%PDF-1.4 ...'], 'stain.jpg') })).toMatchObject({
			status: 422,
			data: { answer: { field: 'photos', text: 'See the photo', error: 'A file is not a photo (JPEG, PNG, WebP or HEIC).' } }
		});
		// Refused answers write nothing: the question still waits.
		expect((await page(a.token)).infoRequests[0].answer).toBeNull();

		expect(await post(a.token, 'answer', { returnId: a.returnId, text: 'A small stain on the left sleeve.', photos: PNG() })).toEqual({
			redirect: `/r/${a.token}#info-${a.returnId}`
		});
		const after = await page(a.token);
		expect(after.order.returns[0].decisionStatus).toBe('needs_review');
		expect(after.infoRequests).toEqual([expect.objectContaining({ returnId: a.returnId, answer: expect.objectContaining({ text: 'A small stain on the left sleeve.', photos: 1 }) })]);
		expect(after.conversation.messages.slice(-2)).toEqual([
			expect.objectContaining({ role: 'assistant', text: QUESTION }),
			expect.objectContaining({ role: 'customer', text: 'A small stain on the left sleeve.\n(1 photo attached)' })
		]);
		const [{ actor_kind, actor_id }] = await t.sql`select actor_kind, actor_id from return_events where return_id = ${a.returnId} and type = 'return.information_provided'`;
		expect({ actor_kind, actor_id }).toEqual({ actor_kind: 'customer', actor_id: a.customerId });

		// Sent twice (a resubmitted form): the page again, one answer.
		expect(await post(a.token, 'answer', { returnId: a.returnId, text: 'A small stain on the left sleeve.' })).toEqual({ redirect: `/r/${a.token}#latest` });
		expect(await t.sql`select 1 from return_events where return_id = ${a.returnId} and type = 'return.information_provided'`).toHaveLength(1);
	});

	it('refuses a return of another order, with the link of this one', async () => {
		const a = await askedAfterConversation();
		const b = await askedAfterConversation();
		expect(await post(a.token, 'answer', { returnId: b.returnId, text: 'Not mine' })).toMatchObject({
			status: 404,
			data: { answer: { returnId: b.returnId, field: 'form', error: 'This question is no longer open. Here is where your return stands now.' } }
		});
		expect((await page(b.token)).infoRequests[0].answer).toBeNull();
	});

	it('answers a return the team made, which then has its conversation on the page', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: `ans-${++n}`, lines: [{ title: 'Pull', quantity: 1, unitPrice: 6000 }] });
		const token = signReturnToken(SECRET, o.orderId);
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'staff', autoAccept: false, resolution: 'refund', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'arrived_damaged' }] },
			staff
		);
		if (r.decisionStatus !== 'needs_review') await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'needs_review' }, staff);
		await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'info_requested', reason: QUESTION }, staff);
		const before = await page(token);
		expect(before.infoRequests).toEqual([expect.objectContaining({ conversationId: null, answer: null })]);
		expect(before.conversation.id).toBe(''); // the start of a new return, not saved: the question shows above it

		expect(await post(token, 'answer', { returnId: r.id, text: 'Here it is.', photos: [PNG(), PNG()] })).toEqual({ redirect: `/r/${token}#info-${r.id}` });
		const after = await page(token);
		expect(after.infoRequests[0].conversationId).toBe(after.conversation.id);
		expect(after.conversation.messages.map((m) => m.text)).toEqual([QUESTION, 'Here it is.\n(2 photos attached)']);
	});
});
