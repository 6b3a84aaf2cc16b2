import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../api/errors';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { getProduct, setInventory, upsertProduct, type ProductInput } from './products';

let t: TestDatabase;
let shopId: string;
beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'catalogue-shop')).id;
});
afterAll(() => t.close());

const eur = (amount: number) => ({ amount, currency: 'EUR' });

function jeans(): ProductInput {
	return {
		title: 'Slim jeans',
		description: 'Stretch denim',
		vendor: 'Atelier',
		category: 'clothing/jeans',
		tags: ['denim', 'slim'],
		options: ['Waist', 'Length'],
		attributes: { fit: 'slim', stretch_percent: 2, organic: true, care: ['30°C', 'no tumble dry'] },
		sizeChart: {
			code: 'jeans',
			name: 'Jeans',
			unit: 'cm',
			sizes: [
				{ size: 'W30', measurements: { waist: [76, 79], hips: [94, 97] } },
				{ size: 'W32', measurements: { waist: [80, 83], hips: [98, 101] } }
			]
		},
		images: [{ url: 'https://cdn.example.com/jeans.jpg', alt: 'Front' }, { url: '/img/jeans-32.jpg', variantExternalId: 'j-32-32' }],
		variants: [
			{ externalId: 'j-30-32', sku: 'JEAN-W30-L32', price: eur(8900), options: { Waist: 'W30', Length: 'L32' }, inventoryQuantity: 3 },
			{
				externalId: 'j-32-32',
				sku: 'JEAN-W32-L32',
				price: eur(8900),
				compareAtPrice: eur(9900),
				options: { Waist: 'W32', Length: 'L32' },
				attributes: { inseam_cm: 81.5 },
				inventoryQuantity: 5,
				barcode: '3700000000012',
				weightGrams: 650
			}
		]
	};
}

async function count(table: string, productId: string) {
	const [row] = await t.sql.unsafe(`select count(*)::int as n from ${table} where product_id = $1`, [productId]);
	return row.n as number;
}

describe('upsertProduct', () => {
	it('creates a product with variants, options, typed attributes, images and size chart', async () => {
		const { product, created } = await upsertProduct(t.sql, shopId, 'jeans-slim', jeans());
		expect(created).toBe(true);
		expect(product).toMatchObject({
			externalId: 'jeans-slim',
			title: 'Slim jeans',
			category: 'clothing/jeans',
			tags: ['denim', 'slim'],
			finalSale: false,
			options: ['Waist', 'Length'],
			attributes: { fit: 'slim', stretch_percent: 2, organic: true, care: ['30°C', 'no tumble dry'] },
			sizeChart: {
				code: 'jeans',
				unit: 'cm',
				sizes: [
					{ size: 'W30', measurements: { waist: [76, 79], hips: [94, 97] } },
					{ size: 'W32', measurements: { waist: [80, 83], hips: [98, 101] } }
				]
			},
			images: [
				{ url: 'https://cdn.example.com/jeans.jpg', alt: 'Front', variantExternalId: null },
				{ url: '/img/jeans-32.jpg', alt: '', variantExternalId: 'j-32-32' }
			]
		});
		expect(product.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(product.variants).toHaveLength(2);
		expect(product.variants[1]).toMatchObject({
			externalId: 'j-32-32',
			sku: 'JEAN-W32-L32',
			title: 'W32 / L32',
			price: eur(8900),
			compareAtPrice: eur(9900),
			options: { Waist: 'W32', Length: 'L32' },
			attributes: { inseam_cm: 81.5 },
			inventoryQuantity: 5,
			barcode: '3700000000012',
			weightGrams: 650
		});

		const types = await t.sql`select code, value_type from product_attributes where product_id = ${product.id} and variant_id is null order by code`;
		expect(types.map((r) => [r.code, r.value_type])).toEqual([
			['care', 'text_list'],
			['fit', 'text'],
			['organic', 'boolean'],
			['stretch_percent', 'number']
		]);
		expect(await getProduct(t.sql, shopId, 'jeans-slim')).toEqual(product);
	});

	it('is idempotent: the same body again updates in place and duplicates nothing', async () => {
		const first = (await getProduct(t.sql, shopId, 'jeans-slim'))!;
		const { product, created } = await upsertProduct(t.sql, shopId, 'jeans-slim', jeans());
		expect(created).toBe(false);
		expect(product.id).toBe(first.id);
		expect(product.variants.map((v) => v.id)).toEqual(first.variants.map((v) => v.id));
		expect({ ...product, updatedAt: '' }).toEqual({ ...first, updatedAt: '' });
		expect(await count('variants', product.id)).toBe(2);
		expect(await count('product_attributes', product.id)).toBe(5);
		expect(await count('product_images', product.id)).toBe(2);
		expect(await count('product_options', product.id)).toBe(2);
		const [{ n }] = await t.sql`select count(*)::int as n from size_chart_entries e join size_charts c on c.id = e.size_chart_id where c.shop_id = ${shopId}`;
		expect(n).toBe(4);
	});

	it('updates fields, keeps inventory left out, swaps SKUs and removes variants no order refers to', async () => {
		const body = jeans();
		body.title = 'Slim jeans, dark';
		body.attributes = { fit: 'regular' };
		body.images = [];
		body.sizeChart = null;
		// Swap the two SKUs, add a variant, leave out inventory.
		body.variants = [
			{ externalId: 'j-30-32', sku: 'JEAN-W32-L32', price: eur(7900), options: { Waist: 'W30', Length: 'L32' } },
			{ externalId: 'j-32-32', sku: 'JEAN-W30-L32', price: eur(7900), options: { Waist: 'W32', Length: 'L32' } },
			{ externalId: 'j-34-32', sku: 'JEAN-W34-L32', price: eur(7900), options: { Waist: 'W34', Length: 'L32' } }
		];
		const { product } = await upsertProduct(t.sql, shopId, 'jeans-slim', body);
		expect(product.title).toBe('Slim jeans, dark');
		expect(product.attributes).toEqual({ fit: 'regular' });
		expect(product.images).toEqual([]);
		expect(product.sizeChart).toBeNull();
		expect(product.variants.map((v) => [v.externalId, v.sku, v.inventoryQuantity, v.price.amount, v.attributes])).toEqual([
			['j-30-32', 'JEAN-W32-L32', 3, 7900, {}],
			['j-32-32', 'JEAN-W30-L32', 5, 7900, {}],
			['j-34-32', 'JEAN-W34-L32', 0, 7900, {}]
		]);

		body.variants = body.variants.slice(0, 2);
		const after = await upsertProduct(t.sql, shopId, 'jeans-slim', body);
		expect(after.product.variants.map((v) => v.externalId)).toEqual(['j-30-32', 'j-32-32']);
		expect(await count('variants', product.id)).toBe(2);
	});

	it('refuses to drop a variant an order line refers to, and writes nothing', async () => {
		const product = (await getProduct(t.sql, shopId, 'jeans-slim'))!;
		const variant = product.variants[0];
		const [customer] = await t.sql`insert into customers (shop_id, email) values (${shopId}, 'v@example.com') returning id`;
		const [order] = await t.sql`
			insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, total_amount,
				ordered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country)
			values (${shopId}, 'o-variant', '9001', ${customer.id}, 'v@example.com', 'EUR', 7900, 7900, now(), 'V', '1 rue', '75001', 'Paris', 'FR')
			returning id`;
		await t.sql`insert into order_lines (shop_id, order_id, external_id, position, product_id, variant_id, sku, title, quantity, unit_price_amount, total_amount)
			values (${shopId}, ${order.id}, 'l1', 1, ${product.id}, ${variant.id}, ${variant.sku}, 'Slim jeans', 1, 7900, 7900)`;

		const body = jeans();
		body.title = 'Should not be written';
		body.variants = body.variants.filter((v) => v.externalId !== variant.externalId);
		const error = await upsertProduct(t.sql, shopId, 'jeans-slim', body).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields).toEqual([{ path: 'variants', message: expect.stringContaining(`"${variant.externalId}"`) }]);
		const stored = (await getProduct(t.sql, shopId, 'jeans-slim'))!;
		expect(stored.title).toBe(product.title);
		expect(stored.variants.map((v) => v.id)).toEqual(product.variants.map((v) => v.id));
	});

	it('names every bad field at once', async () => {
		const error = await upsertProduct(t.sql, shopId, 'bad', {
			title: '',
			category: 'Clothing / Jeans',
			options: ['Size'],
			attributes: { 'Bad Code': 'x', ok: { nested: true } as never },
			sizeChart: { code: 'c', name: 'C', unit: 'mm' as never, sizes: [{ size: 'S', measurements: { elbow: [1, 2], waist: [5, 3] } }] },
			images: [{ url: 'ftp://x', variantExternalId: 'nope' }],
			variants: [
				{ externalId: 'a', sku: 'A', price: { amount: 10.5, currency: 'EUR' }, options: { Size: 'M' } },
				{ externalId: 'a', sku: 'A', price: { amount: 100, currency: 'eur' }, options: { Colour: 'red' }, inventoryQuantity: 1.5 }
			]
		} as ProductInput).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		const paths = error.fields.map((f: { path: string }) => f.path);
		expect(paths).toEqual(
			expect.arrayContaining([
				'title',
				'category',
				'attributes["Bad Code"]',
				'attributes.ok',
				'sizeChart.unit',
				'sizeChart.sizes[0].measurements.elbow',
				'sizeChart.sizes[0].measurements.waist',
				'images[0].url',
				'images[0].variantExternalId',
				'variants[0].price.amount',
				'variants[1].price.currency',
				'variants[1].inventoryQuantity',
				'variants[1].externalId',
				'variants[1].sku',
				'variants[1].options.Size',
				'variants[1].options.Colour'
			])
		);
		for (const f of error.fields) expect(f.message.length).toBeGreaterThan(5);
		const [{ n }] = await t.sql`select count(*)::int as n from products where shop_id = ${shopId} and external_id = 'bad'`;
		expect(n).toBe(0);
	});

	it('refuses a SKU or variant id that belongs to another product', async () => {
		const error = await upsertProduct(t.sql, shopId, 'other', {
			title: 'Other',
			variants: [
				{ externalId: 'j-30-32', sku: 'OTHER-1', price: eur(100) },
				{ externalId: 'o-2', sku: 'JEAN-W32-L32', price: eur(100) }
			]
		}).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields.map((f: { path: string }) => f.path)).toEqual(['variants[0].externalId', 'variants[1].sku']);
		expect(await getProduct(t.sql, shopId, 'other')).toBeUndefined();
	});

	it('keeps shops apart', async () => {
		const other = await createTestShop(t.sql, 'catalogue-other');
		const { created } = await upsertProduct(t.sql, other.id, 'jeans-slim', jeans());
		expect(created).toBe(true);
		expect(await getProduct(t.sql, other.id, 'no-such')).toBeUndefined();
	});
});

describe('setInventory', () => {
	it('sets absolute levels by SKU', async () => {
		const result = await setInventory(t.sql, shopId, { items: [{ sku: 'JEAN-W32-L32', quantity: 12 }, { sku: 'JEAN-W30-L32', quantity: 0 }] });
		expect(result.items).toEqual([{ sku: 'JEAN-W32-L32', quantity: 12 }, { sku: 'JEAN-W30-L32', quantity: 0 }]);
		const product = (await getProduct(t.sql, shopId, 'jeans-slim'))!;
		expect(product.variants.find((v) => v.sku === 'JEAN-W32-L32')!.inventoryQuantity).toBe(12);
	});

	it('is all or nothing: an unknown SKU names its item and changes nothing', async () => {
		const error = await setInventory(t.sql, shopId, { items: [{ sku: 'JEAN-W32-L32', quantity: 99 }, { sku: 'NOPE', quantity: 1 }] }).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields).toEqual([{ path: 'items[1].sku', message: 'no variant of this shop has the SKU "NOPE"' }]);
		const product = (await getProduct(t.sql, shopId, 'jeans-slim'))!;
		expect(product.variants.find((v) => v.sku === 'JEAN-W32-L32')!.inventoryQuantity).toBe(12);
	});

	it('refuses repeated SKUs and bad quantities', async () => {
		const error = await setInventory(t.sql, shopId, { items: [{ sku: 'A', quantity: 1 }, { sku: 'A', quantity: 2.5 }] }).catch((e) => e);
		expect(error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['items[1].quantity', 'items[1].sku']);
	});
});

describe('upsertProduct under concurrency', () => {
	it.runIf(realPostgres)('converges when two identical requests race (real PostgreSQL)', async () => {
		for (let round = 0; round < 5; round++) {
			const body = jeans();
			body.variants = body.variants.map((v) => ({ ...v, externalId: `race${round}-${v.externalId}`, sku: `RACE${round}-${v.sku}` }));
			body.images = [];
			const results = await Promise.all([
				upsertProduct(t.sql, shopId, `race-${round}`, body),
				upsertProduct(t.sql, shopId, `race-${round}`, body)
			]);
			expect(results.map((r) => r.created).sort()).toEqual([false, true]);
			expect(results[0].product.id).toBe(results[1].product.id);
			expect(await count('variants', results[0].product.id)).toBe(2);
			expect(await count('product_attributes', results[0].product.id)).toBe(5);
		}
	});

	it.runIf(realPostgres)('never lets two products racing for one variant both have it (real PostgreSQL)', async () => {
		for (let round = 0; round < 10; round++) {
			const variant = { externalId: `contested-${round}`, sku: `CONTESTED-${round}`, price: { amount: 1000, currency: 'EUR' } };
			const product = (title: string) => ({ title, variants: [variant] });
			const results = await Promise.allSettled([
				upsertProduct(t.sql, shopId, `contest-a-${round}`, product('A')),
				upsertProduct(t.sql, shopId, `contest-b-${round}`, product('B'))
			]);
			const won = results.filter((r) => r.status === 'fulfilled');
			expect(won).toHaveLength(1);
			const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect(lost.reason.constructor.name).toBe('ValidationError');
			const owner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof upsertProduct>>>).value.product;
			const [row] = await t.sql`select product_id from variants where shop_id = ${shopId} and external_id = ${variant.externalId}`;
			expect(row.product_id).toBe(owner.id);
		}
	});
});
