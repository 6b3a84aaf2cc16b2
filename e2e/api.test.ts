import { expect, test } from '@playwright/test';
import { demo, expectAccessible } from './helpers';

const auth = () => ({ authorization: `Bearer ${demo().apiKey}` });
const eur = (amount: number) => ({ amount, currency: 'EUR' });

test.describe('the shop API', () => {
	test('is described by its OpenAPI document', async ({ request }) => {
		const response = await request.get('/api/v1/openapi.json');
		expect(response.status()).toBe(200);
		const doc = await response.json();
		expect(doc.openapi).toMatch(/^3\./);
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/products/{externalId}', '/orders', '/inventory']));
	});

	test('refuses a missing or wrong key', async ({ request }) => {
		expect((await request.post('/api/v1/orders', { data: {} })).status()).toBe(401);
		expect((await request.post('/api/v1/orders', { data: {}, headers: { authorization: 'Bearer rtr_live_nope' } })).status()).toBe(401);
	});

	test('takes a product, then an order for it, whose return link opens the order', async ({ request, page }) => {
		const product = await request.put('/api/v1/products/e2e-sneaker', {
			headers: auth(),
			data: {
				title: 'Canvas sneaker',
				category: 'shoes/sneakers',
				options: ['Size'],
				attributes: { fit_notes: 'True to size' },
				variants: [
					{ externalId: 'e2e-sneaker-42', sku: 'E2E-SNK-42', price: eur(7900), options: { Size: '42' }, inventoryQuantity: 5 },
					{ externalId: 'e2e-sneaker-43', sku: 'E2E-SNK-43', price: eur(7900), options: { Size: '43' }, inventoryQuantity: 2 }
				]
			}
		});
		expect(product.status()).toBe(201);
		const again = await request.put('/api/v1/products/e2e-sneaker', {
			headers: auth(),
			data: { title: 'Canvas sneaker', options: ['Size'], variants: [{ externalId: 'e2e-sneaker-42', sku: 'E2E-SNK-42', price: eur(7500), options: { Size: '42' } }] }
		});
		expect(again.status()).toBe(200);

		const order = {
			externalId: 'e2e-order-1',
			orderNumber: 'E2E-1',
			currency: 'EUR',
			locale: 'en',
			customer: { email: 'e2e.buyer@example.com', firstName: 'Sam', lastName: 'Buyer' },
			shippingAddress: { name: 'Sam Buyer', line1: '3 rue de Test', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
			lines: [{ externalId: 'l1', sku: 'E2E-SNK-42', quantity: 1, unitPrice: eur(7500), vatRate: 20 }],
			shipping: { amount: eur(490) },
			payment: { stripePaymentIntentId: 'pi_e2e1' },
			orderedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
			deliveredAt: new Date(Date.now() - 86_400_000).toISOString()
		};
		const created = await request.post('/api/v1/orders', { headers: auth(), data: order });
		expect(created.status()).toBe(201);
		const body = await created.json();
		expect(body.order.total).toEqual(eur(7990));
		expect(body.returnLink).toMatch(/\/r\/[A-Za-z0-9_-]{20,}$/);

		const resent = await request.post('/api/v1/orders', { headers: auth(), data: order });
		expect(resent.status()).toBe(200);
		expect((await resent.json()).order.id).toBe(body.order.id);

		await page.goto(new URL(body.returnLink).pathname);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('E2E-1');
		await expect(page.getByRole('heading', { name: 'Canvas sneaker' })).toBeVisible();
		await expectAccessible(page);
	});

	test('names every bad field and writes nothing', async ({ request }) => {
		const response = await request.post('/api/v1/orders', {
			headers: auth(),
			data: {
				externalId: 'e2e-bad',
				orderNumber: 'E2E-BAD',
				currency: 'EUR',
				customer: { email: 'not an email' },
				shippingAddress: { name: 'X', line1: 'Y', postalCode: '1', city: 'Z', country: 'FR' },
				lines: [{ externalId: 'l1', title: 'Thing', quantity: 0, unitPrice: { amount: 100, currency: 'USD' }, vatRate: 20 }],
				orderedAt: 'yesterday'
			}
		});
		expect(response.status()).toBe(422);
		const { error } = await response.json();
		expect(error.code).toBe('validation_failed');
		const paths = error.fields.map((f: { path: string }) => f.path);
		expect(paths).toEqual(expect.arrayContaining(['customer.email', 'lines[0].quantity', 'orderedAt']));
		expect((await request.get('/api/v1/orders/e2e-bad', { headers: auth() })).status()).toBe(404);

		const broken = await request.post('/api/v1/orders', { headers: { ...auth(), 'content-type': 'application/json' }, data: Buffer.from('{"externalId": ') });
		expect(broken.status()).toBe(400);
		expect((await broken.json()).error.code).toBe('invalid_json');
	});
});
