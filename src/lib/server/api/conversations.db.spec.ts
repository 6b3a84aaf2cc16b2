import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDatabase, type Database } from '../db';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { signReturnToken } from '../orders/return-links';
import { provePolicyEnforced } from '../policy/testing';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import * as conversationsRoute from '../../../routes/api/v1/conversations/+server';
import * as conversationRoute from '../../../routes/api/v1/conversations/[id]/+server';
import * as repliesRoute from '../../../routes/api/v1/conversations/[id]/replies/+server';

const SECRET = 'c'.repeat(64);
let t: TestDatabase;
let shopId: string;
let previousSecret: string | undefined;

beforeAll(async () => {
	previousSecret = process.env.RETURN_LINK_SECRET;
	process.env.RETURN_LINK_SECRET = SECRET;
	t = await createTestDatabase();
	setDatabase({ sql: t.sql } as unknown as Database);
	shopId = (await createTestShop(t.sql, 'api-conversations')).id;
});
afterAll(async () => {
	setDatabase(undefined);
	if (previousSecret === undefined) delete process.env.RETURN_LINK_SECRET;
	else process.env.RETURN_LINK_SECRET = previousSecret;
	await t.close();
});

type Handler = (event: RequestEvent) => Response | Promise<Response>;
async function call(handler: unknown, options: { token: string | null; params?: Record<string, string>; body?: unknown; method?: string }) {
	const url = new URL('/api/v1/conversations', 'https://returns.example.com');
	const headers = new Headers({ 'content-type': 'application/json' });
	if (options.token) headers.set('authorization', `Bearer ${options.token}`);
	const request = new Request(url, {
		method: options.method ?? 'POST',
		headers,
		body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
	});
	const response = await (handler as Handler)({ request, url, params: options.params ?? {} } as unknown as RequestEvent);
	return { status: response.status, body: await response.json() };
}
const open = (token: string | null) => call(conversationsRoute.POST, { token });
const replyTo = (token: string, id: string, body: unknown) => call(repliesRoute.POST, { token, params: { id }, body });

describe('the conversation API', () => {
	it('opens with the return link’s token only, and resumes the open conversation', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'api-c1', lines: [{ title: 'Robe', quantity: 1, unitPrice: 12_000 }] });
		expect((await open(null)).status).toBe(401);
		expect((await open('forged-token')).body.error.code).toBe('unauthorized');
		const token = signReturnToken(SECRET, o.orderId);
		const first = await open(token);
		expect(first.status).toBe(201);
		expect(first.body).toMatchObject({ state: 'items', messages: [{ role: 'assistant' }] });
		expect(first.body.actions[0]).toMatchObject({ id: 'items', kind: 'items', options: [{ id: o.lineIds[0], label: 'Robe', max: 1 }] });
		// The shop is French and sells in the EU: the order's language, and the withdrawal button.
		expect(first.body.actions.map((a: { kind: string }) => a.kind)).toEqual(['items', 'withdraw', 'handoff', 'cancel']);
		const again = await open(token);
		expect([again.status, again.body.id]).toEqual([200, first.body.id]);
		expect((await call(conversationRoute.GET, { token, params: { id: first.body.id }, method: 'GET' })).body.id).toBe(first.body.id);
		// Another order's link cannot see or answer it.
		const other = await insertTestOrder(t.sql, shopId, { number: 'api-c1b', lines: [{ title: 'Top', quantity: 1, unitPrice: 3000 }] });
		expect((await replyTo(signReturnToken(SECRET, other.orderId), first.body.id, { actionId: 'cancel' })).status).toBe(404);
	});

	it('says what is wrong with a reply', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'api-c2', lines: [{ title: 'Robe', quantity: 1, unitPrice: 12_000 }] });
		const token = signReturnToken(SECRET, o.orderId);
		const { body: c } = await open(token);
		const unknown = await replyTo(token, c.id, { actionId: 'refund' });
		expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', fields: [{ path: 'actionId' }] } } });
		expect(unknown.body.error.message).toMatch(/not one of the actions on offer: items/);
		const bad = await replyTo(token, c.id, { actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 2 }] } });
		expect(bad).toMatchObject({ status: 422, body: { error: { fields: [{ path: 'values', message: 'items[0].quantity must be a whole number from 1 to 1' }] } } });
		expect((await replyTo(token, c.id, { actionId: 'items', text: 'both' })).status).toBe(422);
		expect((await replyTo(token, c.id, '{not json')).status).toBe(400);
	});

	it('goes from the link to a submitted return, then refuses to go on', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'api-c3', lines: [{ title: 'Jean', quantity: 1, unitPrice: 8900 }] });
		const token = signReturnToken(SECRET, o.orderId);
		const { body: c } = await open(token);
		await replyTo(token, c.id, { actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		const offers = await replyTo(token, c.id, { actionId: 'reason', values: { choice: 'too_small' } });
		expect(offers.body.actions.map((a: { kind: string }) => a.kind)).toContain('refund');
		await replyTo(token, c.id, { actionId: 'refund' });
		await replyTo(token, c.id, { actionId: 'method', values: { choice: 'drop_off' } });
		const done = await replyTo(token, c.id, { actionId: 'confirm' });
		expect(done).toMatchObject({ status: 200, body: { state: 'submitted', actions: [], return: { status: 'pending', resolution: 'refund', quote: { currency: 'EUR', total: 8900 } } } });
		expect((await replyTo(token, c.id, { actionId: 'confirm' })).status).toBe(409);
	});

	it('refuses an ineligible line, a tampered amount and an expired window', async () => {
		await provePolicyEnforced(t.sql, shopId, async (a) => {
			const token = signReturnToken(SECRET, a.orderId);
			const { body: c } = await open(token);
			await replyTo(token, c.id, { actionId: 'items', values: { items: a.lines.map((l) => ({ id: l.orderLineId, quantity: l.quantity })) } });
			const after = await replyTo(token, c.id, { actionId: 'reason', values: { choice: a.lines[0].reasonCode } });
			if (after.body.state === 'refused') return { ok: false, code: 'not_eligible' };
			await replyTo(token, c.id, { actionId: 'refund' });
			await replyTo(token, c.id, { actionId: 'method', values: { choice: 'label' } });
			const done = await replyTo(token, c.id, { actionId: 'confirm', values: { expectedTotal: a.expectedTotal } });
			if (done.status === 200) return { ok: true };
			return { ok: false, code: done.body.error.fields?.[0]?.path === 'expectedTotal' ? 'quote_mismatch' : done.body.error.code };
		});
	});
});
