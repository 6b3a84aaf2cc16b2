import { isActionFailure, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { signReturnToken } from '$lib/server/orders/return-links';
import { provePolicyEnforced } from '$lib/server/policy/testing';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';

/** The conversation page's form actions, as a browser without JavaScript posts them. */

const SECRET = 'p'.repeat(64);
let t: TestDatabase;
let shopId: string;

beforeAll(async () => {
	t = await createAppTestDatabase(SECRET);
	shopId = (await createTestShop(t.sql, 'conversation-page')).id;
});
afterAll(() => t.close());

type Outcome = { redirect: string } | { status: number; data: Record<string, unknown> };

async function post(token: string, action: keyof typeof actions, fields: Record<string, string | string[] | File>): Promise<Outcome> {
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

async function page(token: string) {
	const data = (await (load as (e: unknown) => Promise<unknown>)({ params: { token }, setHeaders: () => {}, url: new URL(`https://returns.example.com/r/${token}`) })) as {
		conversation: { id: string; state: string; actions: { id: string; kind: string; label: string }[]; quote?: { total: number } | null; messages: { text: string }[] };
		order: { returns: { id: string; rma: string; status: string; canCancel: boolean }[] };
	};
	return data;
}

describe('the conversation page, without JavaScript', () => {
	it('takes a one-item “changed my mind” refund with a label in five posts, each answered by a redirect to the newest message', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'page-1', lines: [{ title: 'T-shirt', quantity: 1, unitPrice: 2990 }] });
		const token = signReturnToken(SECRET, o.orderId);
		const fresh = await page(token);
		expect(fresh.conversation).toMatchObject({ id: '', state: 'items' });
		// Nothing is written until the customer answers.
		expect((await t.sql`select 1 from conversations where order_id = ${o.orderId}`).length).toBe(0);
		const at = `/r/${token}#latest`;
		expect(await post(token, 'reply', { conversationId: '', actionId: 'items', item: o.lineIds[0] })).toEqual({ redirect: at });
		const id = (await page(token)).conversation.id;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(await post(token, 'reply', { conversationId: id, actionId: 'reason', choice: 'changed_mind' })).toEqual({ redirect: at });
		expect(await post(token, 'reply', { conversationId: id, actionId: 'refund' })).toEqual({ redirect: at });
		expect(await post(token, 'reply', { conversationId: id, actionId: 'method', choice: 'label' })).toEqual({ redirect: at });
		const summary = (await page(token)).conversation;
		expect(summary).toMatchObject({ state: 'summary', quote: { total: 2990 } });
		expect(await post(token, 'reply', { conversationId: id, actionId: 'confirm', expectedTotal: '2990' })).toEqual({ redirect: at });
		// Pressed twice (a double click, a resubmitted form): still one return, and the page shows it.
		expect(await post(token, 'reply', { conversationId: id, actionId: 'confirm', expectedTotal: '2990' })).toEqual({ redirect: at });
		const done = await page(token);
		expect(done.conversation.state).toBe('submitted');
		expect(done.order.returns).toHaveLength(1);
		expect(done.order.returns[0]).toMatchObject({ status: 'accepted', canCancel: true });
		const [{ interactions }] = await t.sql<{ interactions: number }[]>`select (state->>'interactions')::int as interactions from conversations where id = ${id}`;
		expect(interactions).toBe(5);

		// And cancels it from the same page, while the parcel has not left.
		expect(await post(token, 'cancelReturn', { returnId: done.order.returns[0].id })).toEqual({ redirect: at });
		expect((await page(token)).order.returns[0]).toMatchObject({ status: 'cancelled', canCancel: false });
	});

	it('says what is wrong in the customer’s words, and keeps the answer they can fix', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'page-2', lines: [{ title: 'Robe', quantity: 2, unitPrice: 6000 }] });
		const token = signReturnToken(SECRET, o.orderId);
		expect(await post(token, 'reply', { conversationId: '', actionId: 'items' })).toEqual({
			status: 422,
			data: { error: 'Choose at least one item to return.', actionId: 'items' }
		});
		expect(await post(token, 'reply', { conversationId: '', actionId: 'items', item: o.lineIds[0], [`quantity:${o.lineIds[0]}`]: '3' })).toMatchObject({
			status: 422,
			data: { error: 'Please check your answer: items[0].quantity must be a whole number from 1 to 2' }
		});
		await post(token, 'reply', { conversationId: '', actionId: 'items', item: o.lineIds[0], [`quantity:${o.lineIds[0]}`]: '2' });
		const id = (await page(token)).conversation.id;
		// A form from an older page (another tab): the choice is gone, the page says so.
		expect(await post(token, 'reply', { conversationId: id, actionId: 'confirm' })).toMatchObject({
			status: 409,
			data: { error: 'That choice is no longer available. Here is where your return stands now.' }
		});
		// A photo that is not one.
		await post(token, 'reply', { conversationId: id, actionId: 'reason', choice: 'arrived_damaged' });
		expect(await post(token, 'photos', { conversationId: id, photos: new File(['%PDF-1.4'], 'photo.jpg', { type: 'image/jpeg' }) })).toMatchObject({
			status: 422,
			data: { error: 'A file is not a photo (JPEG, PNG, WebP or HEIC).' }
		});
		const png = new File([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48])], 'crack.png');
		expect(await post(token, 'photos', { conversationId: id, photos: png })).toEqual({ redirect: `/r/${token}#latest` });
		expect((await page(token)).conversation.state).toBe('offers');
	});

	it('refuses an ineligible line, a tampered amount and an expired window', async () => {
		await provePolicyEnforced(t.sql, shopId, async (a) => {
			const token = signReturnToken(SECRET, a.orderId);
			const items = a.lines.map((l) => l.orderLineId);
			const quantities = Object.fromEntries(a.lines.map((l) => [`quantity:${l.orderLineId}`, String(l.quantity)]));
			await post(token, 'reply', { conversationId: '', actionId: 'items', item: items, ...quantities });
			const id = (await page(token)).conversation.id;
			await post(token, 'reply', { conversationId: id, actionId: 'reason', choice: a.lines[0].reasonCode });
			if ((await page(token)).conversation.state === 'refused') return { ok: false, code: 'not_eligible' };
			await post(token, 'reply', { conversationId: id, actionId: 'refund' });
			await post(token, 'reply', { conversationId: id, actionId: 'method', choice: 'label' });
			const done = await post(token, 'reply', { conversationId: id, actionId: 'confirm', expectedTotal: String(a.expectedTotal) });
			if ('redirect' in done) return { ok: true };
			return { ok: false, code: done.data.error === 'The amount has changed since it was shown. Please check it again before confirming.' ? 'quote_mismatch' : String(done.data.error) };
		});
	});
});
