import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTestDatabase, type TestDatabase } from '../db/test-db';
import { verifyReturnToken } from '../orders/return-links';
import { createApiKey, revokeApiKey } from '../shops/api-keys';
import { createTestShop } from '../test-fixtures';
import * as inventoryRoute from '../../../routes/api/v1/inventory/+server';
import * as openapiRoute from '../../../routes/api/v1/openapi.json/+server';
import * as orderRoute from '../../../routes/api/v1/orders/[externalId]/+server';
import * as ordersRoute from '../../../routes/api/v1/orders/+server';
import * as productRoute from '../../../routes/api/v1/products/[externalId]/+server';

const SECRET = 's'.repeat(64);
let t: TestDatabase;
let key: string;
let keyId: string;
let shopId: string;

beforeAll(async () => {
	t = await createAppTestDatabase(SECRET);
	shopId = (await createTestShop(t.sql, 'api-routes')).id;
	({ key, id: keyId } = await createApiKey(t.sql, shopId, 'tests', null));
});
afterAll(() => t.close());

type Handler = (event: RequestEvent) => Response | Promise<Response>;

async function call(handler: unknown, options: { method?: string; path?: string; params?: Record<string, string>; body?: unknown; auth?: string | null }) {
	const url = new URL(options.path ?? '/api/v1/x', 'https://returns.example.com');
	const headers = new Headers({ 'content-type': 'application/json' });
	const auth = options.auth === undefined ? `Bearer ${key}` : options.auth;
	if (auth) headers.set('authorization', auth);
	const request = new Request(url, {
		method: options.method ?? 'GET',
		headers,
		body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
	});
	const response = await (handler as Handler)({ request, url, params: options.params ?? {} } as unknown as RequestEvent);
	return { status: response.status, body: await response.json(), headers: response.headers };
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const cable = { title: 'USB-C cable', attributes: { connector: 'usb-c' }, variants: [{ externalId: 'c1', sku: 'CABLE-1', price: eur(1900), inventoryQuantity: 4 }] };
const order = {
	externalId: 'ext-77',
	orderNumber: '77',
	currency: 'EUR',
	customer: { email: 'lea@example.com' },
	shippingAddress: { name: 'Léa', line1: '1 rue', postalCode: '75001', city: 'Paris', country: 'FR' },
	lines: [{ externalId: 'l1', sku: 'CABLE-1', quantity: 1, unitPrice: eur(1900), vatRate: 20 }],
	orderedAt: '2026-01-05T10:00:00Z'
};

describe('JSON API routes', () => {
	it('answers 401 in JSON without a key, with a malformed header, or with a revoked key', async () => {
		for (const auth of [null, 'Basic abc', `Bearer rtr_live_${'a'.repeat(32)}`]) {
			const r = await call(productRoute.GET, { params: { externalId: 'x' }, auth });
			expect(r.status).toBe(401);
			expect(r.body.error.code).toBe('unauthorized');
			expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
		}
		const other = await createApiKey(t.sql, shopId, 'to revoke', null);
		await revokeApiKey(t.sql, shopId, other.id, null);
		expect((await call(productRoute.GET, { params: { externalId: 'x' }, auth: `Bearer ${other.key}` })).status).toBe(401);
		expect(keyId).toBeTruthy();
	});

	it('PUT /products: 201 then 200 with the stored product; GET reads it; 404 for an unknown one', async () => {
		const created = await call(productRoute.PUT, { method: 'PUT', params: { externalId: 'cable' }, body: cable });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ externalId: 'cable', attributes: { connector: 'usb-c' }, variants: [{ sku: 'CABLE-1', price: eur(1900) }] });
		const again = await call(productRoute.PUT, { method: 'PUT', params: { externalId: 'cable' }, body: cable });
		expect(again.status).toBe(200);
		expect(again.body.id).toBe(created.body.id);
		const read = await call(productRoute.GET, { params: { externalId: 'cable' } });
		expect(read.status).toBe(200);
		expect(read.body.variants[0].id).toBe(created.body.variants[0].id);
		const missing = await call(productRoute.GET, { params: { externalId: 'nope' } });
		expect(missing.status).toBe(404);
		expect(missing.body.error.code).toBe('not_found');
	});

	it('answers 400 invalid_json for malformed or empty bodies and 422 naming each bad field', async () => {
		const broken = await call(productRoute.PUT, { method: 'PUT', params: { externalId: 'x' }, body: '{"title": ' });
		expect(broken.status).toBe(400);
		expect(broken.body.error.code).toBe('invalid_json');
		expect((await call(ordersRoute.POST, { method: 'POST', body: '' })).body.error.code).toBe('invalid_json');
		const invalid = await call(productRoute.PUT, { method: 'PUT', params: { externalId: 'x' }, body: { title: 'X', variants: [{ sku: 'A', price: eur(-1) }] } });
		expect(invalid.status).toBe(422);
		expect(invalid.body.error.code).toBe('validation_failed');
		expect(invalid.body.error.fields).toEqual([
			{ path: 'variants[0].externalId', message: 'is required' },
			{ path: 'variants[0].price.amount', message: 'must not be negative' }
		]);
	});

	it('PUT /inventory sets levels and refuses an unknown SKU whole', async () => {
		const ok = await call(inventoryRoute.PUT, { method: 'PUT', body: { items: [{ sku: 'CABLE-1', quantity: 9 }] } });
		expect(ok).toMatchObject({ status: 200, body: { items: [{ sku: 'CABLE-1', quantity: 9 }] } });
		const bad = await call(inventoryRoute.PUT, { method: 'PUT', body: { items: [{ sku: 'CABLE-1', quantity: 1 }, { sku: 'X', quantity: 1 }] } });
		expect(bad.status).toBe(422);
		expect(bad.body.error.fields).toEqual([{ path: 'items[1].sku', message: expect.any(String) }]);
	});

	it('POST /orders: 201 with a signed return link, 200 on resend, GET reads it', async () => {
		const created = await call(ordersRoute.POST, { method: 'POST', path: '/api/v1/orders', body: order });
		expect(created.status).toBe(201);
		expect(created.body.order).toMatchObject({ externalId: 'ext-77', total: eur(1900), lines: [{ sku: 'CABLE-1', vatAmount: eur(317), total: eur(1900) }] });
		const link = created.body.returnLink as string;
		expect(link).toMatch(/^https:\/\/returns\.example\.com\/r\/[A-Za-z0-9_-]+$/);
		expect(verifyReturnToken(SECRET, link.split('/r/')[1])).toBe(created.body.order.id);

		const again = await call(ordersRoute.POST, { method: 'POST', body: order });
		expect(again.status).toBe(200);
		expect(again.body.order.id).toBe(created.body.order.id);
		expect(again.body.returnLink).toBe(link);

		const read = await call(orderRoute.GET, { params: { externalId: 'ext-77' } });
		expect(read.status).toBe(200);
		expect(read.body).toEqual({ order: { ...again.body.order }, returnLink: link });
		expect((await call(orderRoute.GET, { params: { externalId: 'nope' } })).status).toBe(404);
	});

	it('POST /orders: 422 for a currency mismatch', async () => {
		const r = await call(ordersRoute.POST, {
			method: 'POST',
			body: { ...order, externalId: 'ext-78', orderNumber: '78', lines: [{ ...order.lines[0], unitPrice: { amount: 1900, currency: 'USD' } }] }
		});
		expect(r.status).toBe(422);
		expect(r.body.error.fields).toEqual([{ path: 'lines[0].unitPrice.currency', message: expect.stringContaining('EUR') }]);
	});

	it('serves the OpenAPI document without a key', async () => {
		const r = await call(openapiRoute.GET, { path: '/api/v1/openapi.json', auth: null });
		expect(r.status).toBe(200);
		expect(r.body.openapi).toBe('3.1.0');
		expect(r.body.servers[0].url).toBe('https://returns.example.com/api/v1');
		expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/products/{externalId}', '/orders', '/inventory']));
	});
});
