import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { DEFAULT_DEVICES } from '../catalogue/device-seed';
import { DEFAULT_REASONS } from './reason-taxonomy';
import { installDefaultPolicy } from '../policy/versions';

export const EU_COUNTRIES = [
	'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU',
	'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'
] as const;

export type Locale = 'en' | 'fr';

export interface Address {
	name: string;
	line1: string;
	line2?: string | null;
	postalCode: string;
	city: string;
	country: string;
}

export interface NewShop {
	slug: string;
	name: string;
	currency: string;
	locale: Locale;
	country: string;
	timezone?: string;
	supportEmail?: string | null;
	markets: string[];
	returnAddress: Address;
}

export interface Shop {
	id: string;
	slug: string;
	name: string;
	currency: string;
	locale: Locale;
	country: string;
	timezone: string;
	supportEmail: string | null;
	markets: string[];
	returnAddress: Address;
}

/** A shop with its markets, the default reason tree and the default devices, in one transaction. */
export async function createShop(sql: Queryable, input: NewShop): Promise<Shop> {
	return inTransaction(sql, async (tx) => {
		const [shop] = await tx<{ id: string }[]>`
			insert into shops (slug, name, currency, locale, country, timezone, support_email,
				return_name, return_line1, return_line2, return_postal_code, return_city, return_country)
			values (${input.slug}, ${input.name}, ${input.currency}, ${input.locale}, ${input.country},
				${input.timezone ?? 'Europe/Paris'}, ${input.supportEmail ?? null},
				${input.returnAddress.name}, ${input.returnAddress.line1}, ${input.returnAddress.line2 ?? null},
				${input.returnAddress.postalCode}, ${input.returnAddress.city}, ${input.returnAddress.country})
			returning id`;
		const markets = [...new Set(input.markets.map((m) => m.toUpperCase()))];
		if (markets.length) {
			await tx`insert into shop_markets ${tx(markets.map((country) => ({ shop_id: shop.id, country })))}`;
		}
		// Parents before children: the taxonomy lists them in that order.
		await tx`insert into return_reasons ${tx(
			DEFAULT_REASONS.map((r, i) => ({
				shop_id: shop.id,
				code: r.code,
				parent_code: r.parent ?? null,
				position: i,
				label_en: r.en,
				label_fr: r.fr
			}))
		)}`;
		await tx`insert into devices ${tx(
			DEFAULT_DEVICES.map((d) => ({
				shop_id: shop.id,
				brand: d.brand,
				model: d.model,
				kind: d.kind,
				aliases: d.aliases,
				ports: d.ports,
				charging_protocols: d.chargingProtocols,
				max_charging_watts: d.maxChargingWatts,
				release_year: d.releaseYear
			}))
		)}`;
		await installDefaultPolicy(tx, shop.id);
		return (await getShop(tx, shop.id))!;
	});
}

export async function getShop(sql: Queryable, id: string): Promise<Shop | undefined> {
	const [row] = await sql`
		select s.*, coalesce(array_agg(m.country order by m.country) filter (where m.country is not null), '{}') as markets
		from shops s left join shop_markets m on m.shop_id = s.id
		where s.id = ${id} group by s.id`;
	return row ? toShop(row) : undefined;
}

export async function listShops(sql: Queryable): Promise<Shop[]> {
	const rows = await sql`
		select s.*, coalesce(array_agg(m.country order by m.country) filter (where m.country is not null), '{}') as markets
		from shops s left join shop_markets m on m.shop_id = s.id
		group by s.id order by s.created_at`;
	return rows.map(toShop);
}

/** EU consumer law applies when the shop sells to at least one EU country. */
export function sellsToEu(shop: Pick<Shop, 'markets'>): boolean {
	return shop.markets.some((m) => (EU_COUNTRIES as readonly string[]).includes(m));
}

function toShop(row: Record<string, unknown>): Shop {
	return {
		id: row.id as string,
		slug: row.slug as string,
		name: row.name as string,
		currency: (row.currency as string).trim(),
		locale: row.locale as Locale,
		country: (row.country as string).trim(),
		timezone: row.timezone as string,
		supportEmail: (row.support_email as string | null) ?? null,
		markets: (row.markets as string[]).map((m) => m.trim()),
		returnAddress: {
			name: row.return_name as string,
			line1: row.return_line1 as string,
			line2: (row.return_line2 as string | null) ?? null,
			postalCode: row.return_postal_code as string,
			city: row.return_city as string,
			country: (row.return_country as string).trim()
		}
	};
}

export interface SelectableReason {
	code: string;
	en: string;
	fr: string;
}

/** The reasons a return line can name: the active leaves of the shop's taxonomy, in the shop's order. */
export async function listSelectableReasons(sql: Queryable, shopId: string): Promise<SelectableReason[]> {
	return sql<SelectableReason[]>`
		select r.code, r.label_en as en, r.label_fr as fr from return_reasons r
		where r.shop_id = ${shopId} and r.active
			and not exists (select 1 from return_reasons c where c.shop_id = r.shop_id and c.parent_code = r.code)
		order by r.position, r.code`;
}
