import type { Sql } from './db';
import { calendarDaysBefore } from './policy/facts';
import { createShop, type NewShop } from './shops/service';

/**
 * Noon (shop time) of the calendar day `days` before today in `timeZone` (the test shops' Europe/Paris): the policy
 * counts calendar days in the shop's zone, so "n × 24 hours ago" is n − 1 days in the last hour before local midnight
 * when a change of summer time lies between.
 */
export function calendarDaysAgo(days: number, timeZone = 'Europe/Paris'): Date {
	return calendarDaysBefore(new Date(), days, 12, timeZone);
}

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

export interface TestOrderLine {
	title: string;
	quantity: number;
	unitPrice: number;
	/** Allocated to the whole line. */
	discount?: number;
	sku?: string;
	productId?: string;
	variantId?: string;
}

/**
 * A delivered order with the given lines, inserted directly: tests of the returns domain need an order
 * without depending on the intake API's validation. Ordered 10 days ago and delivered 5 days ago in France
 * unless told otherwise.
 */
export async function insertTestOrder(
	sql: Sql,
	shopId: string,
	options: {
		number: string;
		email?: string;
		lines: TestOrderLine[];
		orderedAt?: Date;
		deliveredAt?: Date | null;
		country?: string;
		shipping?: number;
		/** The Stripe PaymentIntent that paid it (refunds go through Stripe only then). */
		paymentIntentId?: string | null;
	}
) {
	const email = options.email ?? `${options.number}@example.com`;
	const [customer] = await sql`
		insert into customers (shop_id, email) values (${shopId}, ${email})
		on conflict (shop_id, lower(email)) do update set updated_at = now() returning id`;
	const total = (l: TestOrderLine) => l.quantity * l.unitPrice - (l.discount ?? 0);
	const subtotal = options.lines.reduce((s, l) => s + total(l), 0);
	const shipping = options.shipping ?? 0;
	const orderedAt = options.orderedAt ?? new Date(Date.now() - 10 * 86_400_000);
	const deliveredAt = options.deliveredAt === undefined ? new Date(orderedAt.getTime() + 5 * 86_400_000) : options.deliveredAt;
	const [order] = await sql`
		insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, shipping_amount, total_amount,
			ordered_at, delivered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country, stripe_payment_intent_id)
		values (${shopId}, ${'ext-' + options.number}, ${options.number}, ${customer.id}, ${email}, 'EUR', ${subtotal}, ${shipping},
			${subtotal + shipping}, ${orderedAt}, ${deliveredAt}, 'Camille Martin', '2 rue Test', '69001', 'Lyon', ${options.country ?? 'FR'},
			${options.paymentIntentId ?? null})
		returning id`;
	const lines = await sql`insert into order_lines ${sql(
		options.lines.map((l, i) => ({
			shop_id: shopId,
			order_id: order.id,
			external_id: `l${i + 1}`,
			position: i + 1,
			product_id: l.productId ?? null,
			variant_id: l.variantId ?? null,
			sku: l.sku ?? null,
			title: l.title,
			quantity: l.quantity,
			unit_price_amount: l.unitPrice,
			discount_amount: l.discount ?? 0,
			total_amount: total(l),
			vat_rate: 20,
			vat_amount: Math.round((total(l) * 20) / 120)
		}))
	)} returning id`;
	return { orderId: order.id as string, customerId: customer.id as string, lineIds: lines.map((l) => l.id as string) };
}

/** A bare product for policy conditions: category, tags, final sale. */
export async function insertTestProduct(
	sql: Sql,
	shopId: string,
	options: { externalId: string; title?: string; category?: string | null; tags?: string[]; finalSale?: boolean }
): Promise<string> {
	const [row] = await sql`
		insert into products (shop_id, external_id, title, category, tags, final_sale)
		values (${shopId}, ${options.externalId}, ${options.title ?? options.externalId}, ${options.category ?? null},
			${options.tags ?? []}, ${options.finalSale ?? false})
		returning id`;
	return row.id as string;
}
