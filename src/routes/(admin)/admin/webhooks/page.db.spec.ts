import { isActionFailure, isHttpError, type ActionFailure } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { deliverWebhook, queueWebhook } from '$lib/server/webhooks/service';
import { createTestShop } from '$lib/server/test-fixtures';
import { actions, load } from './+page.server';
import type { PageServerData } from './$types';

/** The admin's webhooks page: endpoints, their secret shown once, the delivery log and its replay. */

let t: TestDatabase;
let owner: App.Locals;
let staff: App.Locals;
const url = (search = '') => new URL(`https://retour.example/admin/webhooks${search}`);

beforeAll(async () => {
	t = await createAppTestDatabase('w'.repeat(64));
	const shop = await createTestShop(t.sql, 'webhooks-page');
	const o = await createTestMember(t.sql, shop.id, 'owner', 'owner@webhooks-page.example');
	const s = await createTestMember(t.sql, shop.id, 'staff', 'staff@webhooks-page.example');
	owner = { user: { id: o.id, email: o.email, name: o.name }, session: null, shop, role: 'owner' };
	staff = { user: { id: s.id, email: s.email, name: s.name }, session: null, shop, role: 'staff' };
});
afterAll(() => t?.close());

async function page(who = owner) {
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: who, url: url() })) as PageServerData;
}

async function post(action: keyof typeof actions, fields: Record<string, string | string[]>, who = owner) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value);
	const request = new Request(url(`?/${action}`), { method: 'POST', body: form });
	const result = await (actions[action] as (e: unknown) => Promise<unknown>)({ locals: who, url: url(`?/${action}`), params: {}, request });
	if (isActionFailure(result)) return { status: result.status, data: (result as unknown as ActionFailure<Record<string, unknown>>).data };
	return { status: 200, data: result as Record<string, unknown> };
}

describe('the webhooks page', () => {
	it('adds an endpoint and shows its signing secret once: the page never loads it again', async () => {
		const added = await post('add', { url: ' https://shop.example/retour-hooks ', events: ['return.accepted', 'credit.issued'] });
		expect(added).toEqual({
			status: 200,
			data: { action: 'add', created: { id: expect.any(String), url: 'https://shop.example/retour-hooks', secret: expect.stringMatching(/^whsec_[0-9a-f]{48}$/) } }
		});
		const { secret, id } = (added.data as { created: { secret: string; id: string } }).created;
		const data = await page();
		expect(data.endpoints).toEqual([
			{ id, url: 'https://shop.example/retour-hooks', events: ['return.accepted', 'credit.issued'], active: true, createdAt: expect.any(Date) }
		]);
		expect(data.events).toEqual(['exchange.order_requested', 'credit.issued', 'return.accepted']);
		expect(JSON.stringify(data)).not.toContain(secret);

		// No event checked: every event.
		expect(await post('add', { url: 'https://shop.example/all' })).toMatchObject({ status: 200 });
		expect((await page()).endpoints.find((e) => e.url === 'https://shop.example/all')?.events).toEqual([]);
	});

	it('refuses an address that is not one, with the error on the URL field and the answers kept', async () => {
		const before = (await page()).endpoints.length;
		for (const bad of ['shop.example/hooks', 'ftp://shop.example/hooks', '']) {
			expect(await post('add', { url: bad, events: 'credit.issued' })).toEqual({
				status: 400,
				data: { action: 'add', url: bad, events: ['credit.issued'], field: 'url', error: expect.stringMatching(/full address of your endpoint/) }
			});
		}
		expect(await post('add', { url: 'https://shop.example/x', events: 'order.paid' })).toMatchObject({
			status: 400,
			data: { field: 'events', error: expect.stringMatching(/Unknown events: order\.paid/) }
		});
		expect((await page()).endpoints).toHaveLength(before);
	});

	it('disables and enables an endpoint', async () => {
		const { created } = (await post('add', { url: 'https://shop.example/toggle' })).data as { created: { id: string } };
		expect(await post('setActive', { id: created.id, active: 'false' })).toEqual({
			status: 200,
			data: { action: 'setActive', target: created.id, success: 'https://shop.example/toggle is disabled: no new events are sent to it.' }
		});
		expect((await page()).endpoints.find((e) => e.id === created.id)?.active).toBe(false);
		expect(await post('setActive', { id: created.id, active: 'true' })).toMatchObject({ status: 200 });
		expect((await page()).endpoints.find((e) => e.id === created.id)?.active).toBe(true);
		expect(await post('setActive', { id: '00000000-0000-4000-8000-000000000000', active: 'false' })).toMatchObject({ status: 404 });
	});

	it('lists deliveries newest first and sends a failed one again: pending, with a job', async () => {
		const shopId = owner.shop!.id;
		const { created } = (await post('add', { url: 'https://hooks.invalid/retour', events: 'credit.issued' })).data as { created: { id: string } };
		await t.sql.begin((tx) => queueWebhook(tx, shopId, 'credit.issued', { code: 'first' }));
		await t.sql.begin((tx) => queueWebhook(tx, shopId, 'credit.issued', { code: 'second' }));
		const deliveries = (await page()).deliveries.filter((d) => d.endpointId === created.id);
		expect(deliveries.map((d) => (d.payload as { code: string }).code)).toEqual(['second', 'first']);

		const failing = deliveries[1];
		const refused = (async () => new Response('no such hook', { status: 410 })) as typeof fetch;
		expect(await deliverWebhook(t.sql, failing.id, { lastAttempt: true, fetch: refused })).toBe('failed');
		const shown = (await page()).deliveries.find((d) => d.id === failing.id)!;
		expect(shown).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410, responseBody: 'no such hook', error: 'The endpoint answered 410' });

		await t.sql`delete from pgboss.job where name = 'webhook-deliver' and data->>'deliveryId' = ${failing.id}`;
		expect(await post('replay', { id: failing.id })).toEqual({
			status: 200,
			data: { action: 'replay', target: failing.id, success: expect.stringMatching(/sends it again/) }
		});
		expect((await page()).deliveries.find((d) => d.id === failing.id)?.status).toBe('pending');
		expect(await t.sql`select 1 from pgboss.job where name = 'webhook-deliver' and data->>'deliveryId' = ${failing.id}`).toHaveLength(1);

		expect(await post('replay', { id: 'not-an-id' })).toMatchObject({ status: 404, data: { error: 'This delivery no longer exists.' } });
		expect(await post('replay', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
	});

	it('is for owners and admins: staff get a 403 from the page and from every action', async () => {
		const forbidden = async (run: () => Promise<unknown>) => {
			try {
				await run();
			} catch (e) {
				return isHttpError(e) ? e.status : e;
			}
			return 'allowed';
		};
		expect(await forbidden(() => page(staff))).toBe(403);
		expect(await forbidden(() => post('add', { url: 'https://shop.example/staff' }, staff))).toBe(403);
		expect(await forbidden(() => post('replay', { id: 'x' }, staff))).toBe(403);
		expect(await forbidden(() => post('setActive', { id: 'x', active: 'false' }, staff))).toBe(403);
	});
});
