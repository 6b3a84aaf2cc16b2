import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { addWebhookEndpoint, deliverWebhook, listWebhookEndpoints, queueWebhook, replayDelivery, setWebhookEndpointActive, WebhookError } from './service';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'webhooks-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'webhooks-other')).id;
});
afterAll(() => t?.close());

describe('webhook endpoints for the admin', () => {
	it('lists a shop’s endpoints oldest first, without their secrets', async () => {
		const first = await addWebhookEndpoint(t.sql, shopId, { url: 'https://shop.example/a' });
		const second = await addWebhookEndpoint(t.sql, shopId, { url: 'https://shop.example/b', events: ['credit.issued'] });
		await addWebhookEndpoint(t.sql, otherShopId, { url: 'https://other.example/hooks' });

		const listed = await listWebhookEndpoints(t.sql, shopId);
		expect(listed).toEqual([
			{ id: first.id, url: 'https://shop.example/a', events: [], active: true, createdAt: expect.any(Date) },
			{ id: second.id, url: 'https://shop.example/b', events: ['credit.issued'], active: true, createdAt: expect.any(Date) }
		]);
		expect(JSON.stringify(listed)).not.toContain('whsec_');
	});

	it('disables an endpoint (no more events are queued for it) and enables it again', async () => {
		const endpoint = await addWebhookEndpoint(t.sql, shopId, { url: 'https://shop.example/toggle', events: ['return.accepted'] });
		const queuedFor = () =>
			t.sql.begin(async (tx) => {
				await queueWebhook(tx, shopId, 'return.accepted', { returnId: 'r-toggle' });
				const rows = await tx<{ n: number }[]>`
					select count(*)::int as n from webhook_deliveries where endpoint_id = ${endpoint.id}`;
				return rows[0].n;
			});

		expect(await setWebhookEndpointActive(t.sql, shopId, endpoint.id, false)).toMatchObject({ id: endpoint.id, active: false });
		expect(await queuedFor()).toBe(0);
		expect((await listWebhookEndpoints(t.sql, shopId)).find((e) => e.id === endpoint.id)?.active).toBe(false);

		expect(await setWebhookEndpointActive(t.sql, shopId, endpoint.id, true)).toMatchObject({ active: true });
		expect(await queuedFor()).toBe(1);
	});

	it('refuses another shop’s endpoint and an id that is not one', async () => {
		const foreign = await addWebhookEndpoint(t.sql, otherShopId, { url: 'https://other.example/mine' });
		await expect(setWebhookEndpointActive(t.sql, shopId, foreign.id, false)).rejects.toMatchObject({ code: 'not_found' });
		await expect(setWebhookEndpointActive(t.sql, shopId, 'not-a-uuid', false)).rejects.toBeInstanceOf(WebhookError);
		expect((await listWebhookEndpoints(t.sql, otherShopId)).find((e) => e.id === foreign.id)?.active).toBe(true);
	});
});

describe('delivering', () => {
	it('sends nothing to an endpoint disabled after the event was queued', async () => {
		const endpoint = await addWebhookEndpoint(t.sql, shopId, { url: 'https://shop.example/later-disabled' });
		const [delivery] = await t.sql.begin(async (tx) => {
			await queueWebhook(tx, shopId, 'credit.issued', { code: 'X' });
			return tx<{ id: string }[]>`select id from webhook_deliveries where endpoint_id = ${endpoint.id}`;
		});
		await setWebhookEndpointActive(t.sql, shopId, endpoint.id, false);
		let called = 0;
		const fetch = (async () => {
			called++;
			return new Response(null, { status: 204 });
		}) as unknown as typeof globalThis.fetch;
		expect(await deliverWebhook(t.sql, delivery.id, { lastAttempt: false, fetch })).toBe('failed');
		expect(called).toBe(0);
		const [row] = await t.sql`select status, error from webhook_deliveries where id = ${delivery.id}`;
		expect(row).toEqual({ status: 'failed', error: 'The endpoint is disabled' });
		await expect(replayDelivery(t.sql, shopId, 'not-a-uuid')).rejects.toBeInstanceOf(WebhookError);
	});
});

