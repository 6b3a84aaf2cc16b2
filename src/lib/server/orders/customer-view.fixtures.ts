import type { Sql } from '../db';
import { createShop, type Shop } from '../shops/service';

/** Test data for the customer side, written straight to the tables so these tests need no other service. */

let shopCounter = 0;

export async function makeShop(sql: Sql, overrides: { name?: string; locale?: 'en' | 'fr' } = {}): Promise<Shop> {
	const n = ++shopCounter;
	return createShop(sql, {
		slug: `shop-${n}-${Math.random().toString(36).slice(2, 8)}`,
		name: overrides.name ?? `Test shop ${n}`,
		currency: 'EUR',
		locale: overrides.locale ?? 'en',
		country: 'FR',
		markets: ['FR'],
		returnAddress: { name: 'Returns', line1: '1 rue de Test', postalCode: '75001', city: 'Paris', country: 'FR' }
	});
}

export interface FixtureLine {
	title: string;
	quantity: number;
	unitPrice: number;
	discount?: number;
	finalSale?: boolean;
	options?: Record<string, string>;
	image?: string;
}

export async function makeOrder(
	sql: Sql,
	shop: Shop,
	input: {
		orderNumber: string;
		email: string;
		orderedAt?: Date;
		fulfilledAt?: Date | null;
		deliveredAt?: Date | null;
		locale?: 'en' | 'fr' | null;
		lines?: FixtureLine[];
	}
): Promise<{ id: string; lineIds: string[] }> {
	const orderedAt = input.orderedAt ?? new Date(Date.now() - 10 * 86_400_000);
	const deliveredAt = input.deliveredAt === undefined ? new Date(orderedAt.getTime() + 3 * 86_400_000) : input.deliveredAt;
	const fulfilledAt = input.fulfilledAt === undefined ? (deliveredAt ? new Date(orderedAt.getTime() + 86_400_000) : null) : input.fulfilledAt;
	const lines = input.lines ?? [{ title: 'T-shirt', quantity: 1, unitPrice: 2500 }];
	return sql.begin(async (tx) => {
		const [customer] = await tx<{ id: string }[]>`
			insert into customers (shop_id, email) values (${shop.id}, ${input.email})
			on conflict (shop_id, lower(email)) do update set updated_at = now() returning id`;
		const totals = lines.map((l) => l.quantity * l.unitPrice - (l.discount ?? 0));
		const subtotal = totals.reduce((a, b) => a + b, 0);
		const [order] = await tx<{ id: string }[]>`
			insert into orders (shop_id, external_id, order_number, customer_id, email, locale, currency, subtotal_amount,
				total_amount, ordered_at, fulfilled_at, delivered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country)
			values (${shop.id}, ${'ext-' + input.orderNumber}, ${input.orderNumber}, ${customer.id}, ${input.email},
				${input.locale ?? null}, 'EUR', ${subtotal}, ${subtotal}, ${orderedAt}, ${fulfilledAt}, ${deliveredAt},
				'Camille Martin', '3 rue des Lilas', '69003', 'Lyon', 'FR')
			returning id`;
		const lineIds: string[] = [];
		for (const [i, l] of lines.entries()) {
			const key = `${input.orderNumber}-${i}`;
			const [product] = await tx<{ id: string }[]>`
				insert into products (shop_id, external_id, title, final_sale) values (${shop.id}, ${'p-' + key}, ${l.title}, ${l.finalSale ?? false})
				returning id`;
			const [variant] = await tx<{ id: string }[]>`
				insert into variants (shop_id, product_id, external_id, sku, title, price_amount, currency)
				values (${shop.id}, ${product.id}, ${'v-' + key}, ${'SKU-' + key}, ${Object.values(l.options ?? {}).join(' / ')}, ${l.unitPrice}, 'EUR')
				returning id`;
			const options = Object.entries(l.options ?? {});
			if (options.length) {
				await tx`insert into variant_option_values ${tx(
					options.map(([name, value], p) => ({ shop_id: shop.id, variant_id: variant.id, position: p + 1, name, value }))
				)}`;
			}
			if (l.image) {
				await tx`insert into product_images (shop_id, product_id, position, url, alt) values (${shop.id}, ${product.id}, 1, ${l.image}, ${l.title})`;
			}
			const [line] = await tx<{ id: string }[]>`
				insert into order_lines (shop_id, order_id, external_id, position, product_id, variant_id, sku, title, variant_title,
					quantity, unit_price_amount, discount_amount, total_amount)
				values (${shop.id}, ${order.id}, ${'l-' + key}, ${i + 1}, ${product.id}, ${variant.id}, ${'SKU-' + key}, ${l.title},
					${Object.values(l.options ?? {}).join(' / ') || null}, ${l.quantity}, ${l.unitPrice}, ${l.discount ?? 0}, ${totals[i]})
				returning id`;
			lineIds.push(line.id);
		}
		return { id: order.id, lineIds };
	});
}
