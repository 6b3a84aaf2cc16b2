// Risk scoring at scale, for scripts/bench.js: a shop of BENCH_RISK_CUSTOMERS customers (100,000) and
// BENCH_RISK_ORDERS orders (1,000,000) of 2 lines, a fifth of them returned and inspected, some addresses and
// cards shared, written by PostgreSQL itself; then 2,000 returns scored as the app scores one (the customer's
// profile with its linked accounts read by loadRiskProfile, the score computed): p95 (target ≤ 10 ms).

export async function benchRiskScoring({ vite, sql, appSql, report }) {
	const CUSTOMERS = Number(process.env.BENCH_RISK_CUSTOMERS ?? 100_000);
	const ORDERS = Number(process.env.BENCH_RISK_ORDERS ?? 1_000_000);
	const { createShop } = await vite.ssrLoadModule('/src/lib/server/shops/service.ts');
	const { loadRiskProfile, riskLines } = await vite.ssrLoadModule('/src/lib/server/risk/queries.ts');
	const { scoreReturn } = await vite.ssrLoadModule('/src/lib/server/risk/score.ts');
	const shop = await createShop(appSql, {
		slug: `risk-bench-${process.pid}`,
		name: 'Risk bench',
		currency: 'EUR',
		locale: 'en',
		country: 'FR',
		markets: ['FR'],
		returnAddress: { name: 'Returns', line1: '1 rue du Banc', postalCode: '75001', city: 'Paris', country: 'FR' }
	});
	const s = shop.id;
	const started = performance.now();
	// Rows made here are consistent by construction: skip the foreign-key triggers while writing them (superuser).
	const [{ rolsuper }] = await sql`select rolsuper from pg_roles where rolname = current_user`;
	if (rolsuper) await sql`set session_replication_role = replica`;
	await sql`set synchronous_commit = off`;
	await sql`
		insert into products (shop_id, external_id, title, category, tags)
		select ${s}, 'p' || g, 'Product ' || g, (array['clothing/jeans', 'clothing/occasion', 'shoes', 'electronics/audio'])[1 + g % 4],
			case when g % 4 = 1 then array['occasion'] else array[]::text[] end
		from generate_series(1, 200) g`;
	await sql`
		insert into variants (shop_id, product_id, external_id, sku, title, position, price_amount, currency)
		select ${s}, p.id, p.external_id || '-' || v, p.external_id || '-' || v, 'Size ' || v, v,
			1500 + (substr(p.external_id, 2)::int * 397) % 40000, 'EUR'
		from products p cross join generate_series(1, 5) v where p.shop_id = ${s}`;
	await sql`
		insert into customers (shop_id, external_id, email)
		select ${s}, 'c' || g, 'c' || g || '@risk-bench.test' from generate_series(1, ${CUSTOMERS}) g`;
	await sql`create temporary table bench_customers as select id, substr(external_id, 2)::int as n from customers where shop_id = ${s}`;
	await sql`create index on bench_customers (n)`;
	await sql`create temporary table bench_variants as
		select v.id, v.product_id, v.sku, v.price_amount, row_number() over (order by v.sku)::int as n from variants v where v.shop_id = ${s}`;
	await sql`create index on bench_variants (n)`;
	// Customers order unevenly (a tenth order a lot); one in twenty shares a street, one in fifty a card.
	await sql`
		insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, total_amount,
			ordered_at, delivered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country, payment_fingerprint, source)
		select ${s}, 'o' || g, 'O' || g, c.id, 'c' || c.n || '@risk-bench.test', 'EUR', 10000, 10000,
			now() - ((g * 7) % 700) * interval '1 day' - interval '10 days', now() - ((g * 7) % 700) * interval '1 day' - interval '7 days',
			'Customer', 'street ' || case when c.n % 20 = 0 then c.n - 1 else c.n end, '75001', 'Paris', 'FR',
			'fp_' || case when c.n % 50 = 0 then c.n - 1 else c.n end, 'import'
		from generate_series(1, ${ORDERS}) g
		join bench_customers c on c.n = 1 + case when g % 3 = 0 then (g::int8 * 7919) % greatest(1, ${CUSTOMERS} / 10) else (g::int8 * 104729) % ${CUSTOMERS} end`;
	await sql`
		insert into order_lines (shop_id, order_id, external_id, position, product_id, variant_id, sku, title, quantity, unit_price_amount, total_amount)
		select ${s}, o.id, 'l' || p, p, v.product_id, v.id, v.sku, v.sku, 1, v.price_amount, v.price_amount
		from orders o cross join generate_series(1, 2) p
		join bench_variants v on v.n = 1 + (hashtext(o.external_id || p) & 1023) % 1000
		where o.shop_id = ${s}`;
	await sql`
		insert into returns (shop_id, order_id, customer_id, rma, reception_status, decision_status, channel, currency, requested_at)
		select ${s}, o.id, o.customer_id, 'R-' || substr(h, 1, 4) || '-' || substr(h, 5, 4), 'received', 'accepted', 'import', 'EUR',
			o.delivered_at + ((hashtext(o.external_id) & 31) % 28) * interval '1 day'
		from (select o.*, 'Z' || lpad(upper(to_hex(row_number() over (order by o.external_id))), 7, '0') as h
			from orders o where o.shop_id = ${s} and (hashtext(o.external_id) & 15) < 3) o`;
	await sql`
		insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code)
		select ${s}, r.id, l.id, 1, (array['too_small', 'too_large', 'changed_mind', 'defective'])[1 + (hashtext(r.rma) & 3)]
		from returns r join order_lines l on l.order_id = r.order_id and l.position = 1 where r.shop_id = ${s}`;
	await sql`
		insert into return_line_inspections (return_line_id, shop_id, return_id, condition, disposition, stops_refund, inspected_at)
		select rl.id, ${s}, rl.return_id, c.condition, case when c.condition = 'missing' then null else 'restock' end,
			c.condition in ('used', 'missing'), r.requested_at + interval '5 days'
		from return_lines rl join returns r on r.id = rl.return_id
		cross join lateral (select case when (hashtext(r.rma) & 255) < 8 then 'used' when (hashtext(r.rma) & 255) < 10 then 'missing'
			when (hashtext(r.rma) & 1) = 0 then 'new' else 'opened' end as condition) c
		where rl.shop_id = ${s}`;
	await sql`
		insert into order_claims (shop_id, order_id, customer_id, kind, created_at)
		select ${s}, o.id, o.customer_id, 'not_received', o.delivered_at + interval '3 days'
		from orders o where o.shop_id = ${s} and (hashtext(o.external_id) & 127) = 0`;
	if (rolsuper) await sql`set session_replication_role = origin`;
	await sql`analyze`;
	const [counts] = await sql`
		select (select count(*) from customers where shop_id = ${s})::int as customers, (select count(*) from orders where shop_id = ${s})::int as orders,
			(select count(*) from returns where shop_id = ${s})::int as returns`;
	const loadedIn = (performance.now() - started) / 1000;

	// Returns to score: recent orders of customers chosen across the whole range, heavy buyers included.
	const sample = await sql`
		select o.id, o.customer_id from orders o
		where o.shop_id = ${s} and o.external_id in (select 'o' || (1 + (g::int8 * 48271) % ${ORDERS}) from generate_series(1, 2200) g)`;
	const lines = new Map();
	for (const row of await sql`
		select ol.order_id, ol.id, ol.product_id, ol.unit_price_amount::int8 as unit_price_amount, p.category, p.tags
		from order_lines ol join products p on p.id = ol.product_id where ol.order_id in ${sql(sample.map((o) => o.id))}`) {
		if (!lines.has(row.order_id)) lines.set(row.order_id, []);
		lines.get(row.order_id).push({ ...row, unit_price_amount: Number(row.unit_price_amount) });
	}
	const score = async (o) => {
		const profile = await loadRiskProfile(appSql, { shopId: s, customerId: o.customer_id, currency: 'EUR', at: new Date(), windowDays: 30 });
		const orderLines = lines.get(o.id) ?? [];
		return scoreReturn({
			daysSinceDelivery: 5,
			windowDays: 30,
			highValue: profile.highValue,
			lines: riskLines(orderLines, orderLines.slice(0, 1).map((l) => ({ orderLineId: l.id, quantity: 1, reasonCode: 'too_small' }))),
			history: profile.history,
			linked: profile.linked
		});
	};
	for (const o of sample.slice(0, 200)) await score(o);
	const times = [];
	let flagged = 0;
	for (const o of sample.slice(200)) {
		const t0 = performance.now();
		const a = await score(o);
		times.push(performance.now() - t0);
		if (a.score >= 40) flagged++;
	}
	times.sort((a, b) => a - b);
	const p = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
	report(
		`risk scoring: ${counts.customers.toLocaleString('en')} customers, ${counts.orders.toLocaleString('en')} orders, ${counts.returns.toLocaleString('en')} returns (written in ${loadedIn.toFixed(0)} s)`,
		`p95 ${p(0.95).toFixed(1)} ms (median ${p(0.5).toFixed(1)} ms, ${times.length} returns, ${flagged} flagged)`,
		'≤ 10 ms'
	);
}
