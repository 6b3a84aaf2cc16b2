import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password';
import { readConfig, type Config } from '../config';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { loadOrderForCustomer, openReturnLink } from '../orders/customer-view';
import { verifyReturnToken } from '../orders/return-links';
import { returnLinkSecret } from '../secrets';
import { authenticateApiKey } from '../shops/api-keys';
import { wholeDays } from '../policy/facts';
import { DEMO_TIME_ZONE, SCENARIO_DELIVERY_DAYS, SCENARIOS, type Scenario } from './plan';
import { seedDemoIfEmpty, type DemoInfo } from './seed';

const DAY = 86_400_000;
let t: TestDatabase;
let dataDir: string;
let config: Config;
let info: DemoInfo | null;
let seedMs: number;
let failed: { error: unknown; left: { shops: number; users: number; returns: number; orders: number } };

beforeAll(async () => {
	t = await createTestDatabase();
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-demo-'));
	config = readConfig({ DATA_DIR: dataDir, PORT: '4173', ORIGIN: 'http://demo.localhost:4173/' });

	// First a seed that fails at its very last step (demo.json cannot be written: a folder has its name).
	fs.mkdirSync(path.join(dataDir, 'demo.json'));
	const error = await seedDemoIfEmpty(t.sql, config).then(
		() => null,
		(e: unknown) => e
	);
	const [left] = await t.sql<{ shops: number; users: number; returns: number; orders: number }[]>`
		select (select count(*)::int from shops) as shops, (select count(*)::int from users) as users,
			(select count(*)::int from returns) as returns, (select count(*)::int from orders) as orders`;
	failed = { error, left };
	fs.rmdirSync(path.join(dataDir, 'demo.json'));

	const started = Date.now();
	info = await seedDemoIfEmpty(t.sql, config);
	seedMs = Date.now() - started;
}, 180_000);
afterAll(async () => {
	await t.close();
	fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('seedDemoIfEmpty', () => {
	it('creates one French shop selling to EU markets, quickly', async () => {
		expect(info).not.toBeNull();
		const shops = await t.sql`select id, slug, name, currency, locale, country from shops`;
		expect(shops).toHaveLength(1);
		expect(shops[0]).toMatchObject({ slug: 'demo', name: 'Maison Lumen', currency: 'EUR', locale: 'fr', country: 'FR' });
		const markets = await t.sql<{ country: string }[]>`select country from shop_markets order by country`;
		expect(markets.map((m) => m.country)).toEqual(['BE', 'DE', 'ES', 'FR', 'IT', 'NL']);
		console.info(`demo seed took ${seedMs} ms on ${t.kind}`);
		expect(seedMs).toBeLessThan(t.kind === 'embedded' ? 20_000 : 10_000);
	});

	it('has a catalogue with jeans sizes, a size chart and typed electronics attributes', async () => {
		const [{ jeans }] = await t.sql<{ jeans: number }[]>`
			select count(*)::int as jeans from variants v join products p on p.id = v.product_id where p.category = 'clothing/jeans'`;
		expect(jeans).toBe(2 * 9 * 3);
		const chart = await t.sql`select size_label, measurement from size_chart_entries e join size_charts c on c.id = e.size_chart_id where c.code = 'jeans'`;
		expect(chart.some((e) => e.size_label === 'W32' && e.measurement === 'waist')).toBe(true);
		expect(chart.some((e) => e.size_label === 'L32' && e.measurement === 'inseam')).toBe(true);
		const [charger] = await t.sql`
			select a.list_value, (select number_value from product_attributes b where b.product_id = a.product_id and b.code = 'max_watts') as watts
			from product_attributes a join products p on p.id = a.product_id
			where p.external_id = 'lt-chargeur-usbc-65w' and a.code = 'charging_protocols'`;
		expect(charger).toMatchObject({ list_value: ['usb-pd', 'pps'], watts: 65 });
		const [fitNotes] = await t.sql`select text_value from product_attributes where code = 'fit_notes' and text_value like 'runs small%'`;
		expect(fitNotes).toBeDefined();
	});

	it('has a few hundred orders over six months, some in transit and some delivered in the last days', async () => {
		const [o] = await t.sql<{ orders: number; customers: number; oldest: Date; in_transit: number; recent: number; bad_pi: number }[]>`
			select count(*)::int as orders, count(distinct customer_id)::int as customers, min(ordered_at) as oldest,
				count(*) filter (where delivered_at is null)::int as in_transit,
				count(*) filter (where delivered_at > now() - interval '7 days')::int as recent,
				count(*) filter (where stripe_payment_intent_id !~ '^pi_[A-Za-z0-9]{24}$')::int as bad_pi
			from orders where source = 'demo'`;
		expect(o.orders).toBeGreaterThanOrEqual(250);
		expect(o.customers).toBeGreaterThanOrEqual(120);
		expect(Date.now() - o.oldest.getTime()).toBeGreaterThan(150 * DAY);
		expect(Date.now() - o.oldest.getTime()).toBeLessThan(190 * DAY);
		expect(o.in_transit).toBeGreaterThan(0);
		expect(o.recent).toBeGreaterThanOrEqual(5);
		expect(o.bad_pi).toBe(0);
	});

	it('has a history of returns with reasons and events, mostly closed, some open', async () => {
		const [r] = await t.sql<{ returns: number; closed: number; open: number; refunded: number; without_events: number; orders: number }[]>`
			select count(*)::int as returns,
				count(*) filter (where closed_at is not null)::int as closed,
				count(*) filter (where closed_at is null)::int as open,
				count(*) filter (where exists (select 1 from return_lines l where l.return_id = r.id and l.resolution_status = 'refunded'))::int as refunded,
				count(*) filter (where not exists (select 1 from return_events e where e.return_id = r.id and e.type = 'return.created'))::int as without_events,
				(select count(*)::int from orders) as orders
			from returns r`;
		expect(r.returns / r.orders).toBeGreaterThan(0.12);
		expect(r.returns / r.orders).toBeLessThan(0.3);
		expect(r.closed).toBeGreaterThan(r.open);
		expect(r.open).toBeGreaterThan(0);
		expect(r.refunded).toBeGreaterThan(0);
		expect(r.without_events).toBe(0);
		const reasons = await t.sql<{ category: string; reason_code: string; n: number }[]>`
			select p.category, rl.reason_code, count(*)::int as n
			from return_lines rl join order_lines ol on ol.id = rl.order_line_id join products p on p.id = ol.product_id
			group by 1, 2`;
		const count = (category: string, codes: string[]) =>
			reasons.filter((x) => x.category === category && codes.includes(x.reason_code)).reduce((s, x) => s + x.n, 0);
		const jeansAll = count('clothing/jeans', reasons.map((x) => x.reason_code));
		expect(count('clothing/jeans', ['too_small', 'too_large']) / jeansAll).toBeGreaterThan(0.5);
		expect(count('electronics/cables', ['incompatible_device'])).toBeGreaterThan(0);
		// historic times: the events are spread over months, not all stamped at seeding time
		const [{ spread }] = await t.sql<{ spread: number }[]>`select extract(epoch from max(created_at) - min(created_at))::int as spread from return_events`;
		expect(spread).toBeGreaterThan(60 * 86_400);
	});

	it('gives each scenario its own untouched order, delivered the right number of days ago', async () => {
		expect(info!.returnLinks.map((l) => l.scenario)).toEqual([...SCENARIOS]);
		const secret = returnLinkSecret(config);
		const customers = new Set<string>();
		for (const link of info!.returnLinks) {
			expect(link.url.startsWith('http://demo.localhost:4173/r/')).toBe(true);
			const orderId = verifyReturnToken(secret, link.url.split('/r/')[1])!;
			expect(orderId).toBeTruthy();
			const view = (await loadOrderForCustomer(t.sql, orderId))!;
			expect(view.orderNumber).toBe(link.orderNumber);
			expect(view.returns, link.scenario).toEqual([]);
			expect(view.deliveryStatus).toBe('delivered');
			const age = wholeDays(view.deliveredAt!, new Date(), DEMO_TIME_ZONE);
			expect(age, link.scenario).toBe(SCENARIO_DELIVERY_DAYS[link.scenario as Scenario]);
			expect(view.lines.every((l) => l.returnable > 0)).toBe(true);
			const [{ email }] = await t.sql<{ email: string }[]>`select email from orders where id = ${orderId}`;
			expect(email).toBe(link.email);
			customers.add(email);
			expect(await openReturnLink(t.sql, secret, link.url.split('/r/')[1])).toBeDefined();
		}
		expect(customers.size).toBe(SCENARIOS.length);
		const kinds = async (scenario: string) => {
			const link = info!.returnLinks.find((l) => l.scenario === scenario)!;
			const view = (await loadOrderForCustomer(t.sql, verifyReturnToken(secret, link.url.split('/r/')[1])!))!;
			return view.lines.map((l) => l.title).join(' | ');
		};
		expect(await kinds('jeans-too-small')).toMatch(/Jean/);
		expect(await kinds('cable-incompatible')).toMatch(/Câble/);
		expect(await kinds('changed-mind')).toMatch(/T-shirt/);
		expect(await kinds('damaged')).toMatch(/Chargeur/);
	});

	it('writes demo.json with exactly the documented shape, and a working owner and API key', async () => {
		const file = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'));
		expect(Object.keys(file).sort()).toEqual(['admin', 'apiKey', 'returnLinks', 'url']);
		expect(Object.keys(file.admin).sort()).toEqual(['email', 'password']);
		for (const l of file.returnLinks) expect(Object.keys(l).sort()).toEqual(['email', 'orderNumber', 'scenario', 'url']);
		expect(file).toEqual(info);
		expect(file.url).toBe('http://demo.localhost:4173');
		expect(file.admin.email).toBe('owner@demo.retour.test');

		const [owner] = await t.sql<{ password_hash: string; role: string }[]>`
			select u.password_hash, m.role from users u join shop_members m on m.user_id = u.id where u.email = ${file.admin.email}`;
		expect(owner.role).toBe('owner');
		expect(await verifyPassword(owner.password_hash, file.admin.password)).toBe(true);
		expect(await authenticateApiKey(t.sql, file.apiKey)).not.toBeNull();
	});

	it('removes a half-made demo when seeding fails, so the next start seeds again', () => {
		expect(failed.error).toBeInstanceOf(Error);
		expect(failed.left).toEqual({ shops: 0, users: 0, returns: 0, orders: 0 });
	});

	it('does nothing once a shop exists', async () => {
		expect(await seedDemoIfEmpty(t.sql, config)).toBeNull();
		const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from shops`;
		expect(n).toBe(1);
	});
});
