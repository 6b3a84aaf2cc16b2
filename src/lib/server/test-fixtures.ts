import type { Sql } from './db';
import { createShop, type NewShop } from './shops/service';

/** A French shop selling in the EU, for tests. */
export function testShopInput(slug = 'test-shop'): NewShop {
	return {
		slug,
		name: 'Test Shop',
		currency: 'EUR',
		locale: 'fr',
		country: 'FR',
		markets: ['FR', 'BE', 'DE'],
		returnAddress: { name: 'Test Shop Returns', line1: '1 rue du Test', postalCode: '75001', city: 'Paris', country: 'FR' }
	};
}

export async function createTestShop(sql: Sql, slug?: string) {
	return createShop(sql, testShopInput(slug));
}

/**
 * A delivered order with the given lines, inserted directly: tests of the returns domain need an order
 * without depending on the intake API's validation.
 */
export async function insertTestOrder(
	sql: Sql,
	shopId: string,
	options: { number: string; email?: string; lines: { title: string; quantity: number; unitPrice: number }[]; deliveredAt?: Date | null }
) {
	const email = options.email ?? `${options.number}@example.com`;
	const [customer] = await sql`
		insert into customers (shop_id, email) values (${shopId}, ${email})
		on conflict (shop_id, lower(email)) do update set updated_at = now() returning id`;
	const subtotal = options.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
	const [order] = await sql`
		insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, total_amount,
			ordered_at, delivered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country)
		values (${shopId}, ${'ext-' + options.number}, ${options.number}, ${customer.id}, ${email}, 'EUR', ${subtotal}, ${subtotal},
			now() - interval '10 days', ${options.deliveredAt === undefined ? new Date(Date.now() - 5 * 86_400_000) : options.deliveredAt},
			'Camille Martin', '2 rue Test', '69001', 'Lyon', 'FR')
		returning id`;
	const lines = await sql`insert into order_lines ${sql(
		options.lines.map((l, i) => ({
			shop_id: shopId,
			order_id: order.id,
			external_id: `l${i + 1}`,
			position: i + 1,
			title: l.title,
			quantity: l.quantity,
			unit_price_amount: l.unitPrice,
			total_amount: l.quantity * l.unitPrice,
			vat_rate: 20,
			vat_amount: Math.round((l.quantity * l.unitPrice * 20) / 120)
		}))
	)} returning id`;
	return { orderId: order.id as string, customerId: customer.id as string, lineIds: lines.map((l) => l.id as string) };
}
