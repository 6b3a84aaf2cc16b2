import type { Money } from '../api/schema';

/** An order as the API and the admin show it. Money is always `{ amount, currency }`. */
export interface OrderLineOut {
	id: string;
	externalId: string;
	position: number;
	sku: string | null;
	productId: string | null;
	variantId: string | null;
	title: string;
	variantTitle: string | null;
	quantity: number;
	unitPrice: Money;
	discount: Money;
	vatRate: number;
	vatAmount: Money;
	total: Money;
}

export interface OrderOut {
	id: string;
	externalId: string;
	orderNumber: string;
	currency: string;
	locale: 'en' | 'fr' | null;
	taxesIncluded: boolean;
	customer: { id: string; email: string; externalId: string | null; firstName: string | null; lastName: string | null };
	shippingAddress: {
		name: string;
		line1: string;
		line2: string | null;
		postalCode: string;
		city: string;
		region: string | null;
		country: string;
	};
	lines: OrderLineOut[];
	subtotal: Money;
	shipping: { amount: Money; vatAmount: Money };
	tax: Money;
	total: Money;
	payment: { stripePaymentIntentId: string | null; stripeChargeId: string | null };
	orderedAt: string;
	fulfilledAt: string | null;
	deliveredAt: string | null;
	source: 'api' | 'import' | 'demo';
	createdAt: string;
	updatedAt: string;
}

type Row = Record<string, unknown>;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(v as string).toISOString());

/** From an orders row (with customer_* columns joined) and its order_lines rows. */
export function toOrderOut(o: Row, lines: Row[]): OrderOut {
	const currency = (o.currency as string).trim();
	const m = (amount: unknown): Money => ({ amount: Number(amount), currency });
	return {
		id: o.id as string,
		externalId: o.external_id as string,
		orderNumber: o.order_number as string,
		currency,
		locale: (o.locale as 'en' | 'fr' | null) ?? null,
		taxesIncluded: o.taxes_included as boolean,
		customer: {
			id: o.customer_id as string,
			email: (o.customer_email as string | undefined) ?? (o.email as string),
			externalId: (o.customer_external_id as string | null) ?? null,
			firstName: (o.customer_first_name as string | null) ?? null,
			lastName: (o.customer_last_name as string | null) ?? null
		},
		shippingAddress: {
			name: o.ship_name as string,
			line1: o.ship_line1 as string,
			line2: (o.ship_line2 as string | null) ?? null,
			postalCode: o.ship_postal_code as string,
			city: o.ship_city as string,
			region: (o.ship_region as string | null) ?? null,
			country: (o.ship_country as string).trim()
		},
		lines: [...lines]
			.sort((a, b) => (a.position as number) - (b.position as number))
			.map((l) => ({
				id: l.id as string,
				externalId: l.external_id as string,
				position: l.position as number,
				sku: (l.sku as string | null) ?? null,
				productId: (l.product_id as string | null) ?? null,
				variantId: (l.variant_id as string | null) ?? null,
				title: l.title as string,
				variantTitle: (l.variant_title as string | null) ?? null,
				quantity: l.quantity as number,
				unitPrice: m(l.unit_price_amount),
				discount: m(l.discount_amount),
				vatRate: Number(l.vat_rate),
				vatAmount: m(l.vat_amount),
				total: m(l.total_amount)
			})),
		subtotal: m(o.subtotal_amount),
		shipping: { amount: m(o.shipping_amount), vatAmount: m(o.shipping_tax_amount) },
		tax: m(o.tax_amount),
		total: m(o.total_amount),
		payment: {
			stripePaymentIntentId: (o.stripe_payment_intent_id as string | null) ?? null,
			stripeChargeId: (o.stripe_charge_id as string | null) ?? null
		},
		orderedAt: iso(o.ordered_at)!,
		fulfilledAt: iso(o.fulfilled_at),
		deliveredAt: iso(o.delivered_at),
		source: o.source as OrderOut['source'],
		createdAt: iso(o.created_at)!,
		updatedAt: iso(o.updated_at)!
	};
}
