// `npm run bench`: a benchmark, not a test. Prints
//   1. start to first 200 on /healthz on the embedded database, first start (with the demo seed) and later starts;
//   2. order intake (1,000 orders of 3 lines through POST /api/v1/orders) on PostgreSQL beside the same rows
//      inserted by a bare postgres.js loop, and their ratio (target: intake ≥ 50 % of the bare rate);
//   3. each customer page's first-load JavaScript, gzipped (target: ≤ 80 KB);
//   4. the policy simulation: a draft policy beside the active one over 100,000 synthetic past returns
//      (scripts/bench-policy-data.js), comparePolicies in this process, best of 3 after a warm-up (target: < 5 s);
//   5. the same simulation as the editor runs it on PostgreSQL: 100,000 past returns (BENCH_SIM_RETURNS) read,
//      rebuilt as they were then, and compared under the live policy and a draft (target: < 5 s);
//   4b. the built-in return label PDF (barcodes included), p95 of 200 (target: ≤ 50 ms);
//   7. fulfilment: 1,000 accepted returns processed end to end by the job workers (label PDF, refund through a local
//      fake Stripe, emails to the outbox): throughput and p95 per return;
//   8. risk scoring on PostgreSQL with 100,000 customers and 1,000,000 orders (scripts/bench-risk.js): the profile
//      read and the score computed for 2,000 returns, p95 (target ≤ 10 ms);
//   6. the conversation: 20 customers in conversation at once, each from the link to a submitted refund through the
//      JSON API on PostgreSQL, pausing 1–3 s before each answer: p95 of every deterministic step (target: ≤ 50 ms);
//      and the same with no pause (a stress figure, no target).
// PostgreSQL: DATABASE_URL, or a throwaway cluster started here when initdb is available (as root).
import { execSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import postgres from 'postgres';
import { findChromium } from './chromium.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const results = [];
const report = (name, value, target) => {
	results.push({ name, value, target });
	console.log(`${name.padEnd(52)} ${value}${target ? `   (target ${target})` : ''}`);
};

if (!fs.existsSync('build/index.js') || process.env.BENCH_BUILD !== '0') {
	const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (b.status !== 0) process.exit(1);
}

let nextPort = 4400 + Math.floor(Math.random() * 200);

function startServer(env) {
	const port = nextPort++;
	const started = performance.now();
	const child = spawn(process.execPath, ['build'], {
		env: { ...process.env, PORT: String(port), ORIGIN: `http://localhost:${port}`, LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const ready = (async () => {
		for (;;) {
			if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
			try {
				const r = await fetch(`http://localhost:${port}/healthz`);
				if (r.status === 200) return performance.now() - started;
			} catch {
				/* not listening yet */
			}
			await new Promise((r) => setTimeout(r, 10));
		}
	})();
	return {
		port,
		ready,
		url: `http://localhost:${port}`,
		async stop() {
			child.kill('SIGTERM');
			await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
		}
	};
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Start time on the embedded database ------------------------------------------------------------
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-bench-'));
{
	const first = startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
	report('start → /healthz 200, first start (embedded + demo)', `${Math.round(await first.ready)} ms`);
	await first.stop();
	const later = [];
	for (let i = 0; i < 3; i++) {
		const s = startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
		later.push(await s.ready);
		await s.stop();
	}
	report('start → /healthz 200, later starts (median of 3)', `${Math.round(median(later))} ms`);
}

// 3. First-load JavaScript of customer pages (on the embedded demo) -----------------------------------
{
	const server = startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
	await server.ready;
	const demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'));
	const link = (s) => demo.returnLinks.find((l) => l.scenario === s).url.replace(demo.url, server.url);
	const pages = {
		'home and order lookup (/)': '/',
		'order page (/r/<token>)': link('jeans-too-small'),
		'invalid link page': '/r/not-a-valid-token-at-all-xxxxxxxx'
	};
	const { chromium } = await import('@playwright/test');
	const executablePath = findChromium();
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
	for (const [name, url] of Object.entries(pages)) {
		const page = await browser.newPage();
		const sizes = [];
		page.on('response', async (response) => {
			const type = response.headers()['content-type'] ?? '';
			if (type.includes('javascript')) sizes.push(response.body().then((b) => zlib.gzipSync(b, { level: 9 }).length));
		});
		await page.goto(new URL(url, server.url).href, { waitUntil: 'networkidle' });
		const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
		report(`first-load JS gzipped: ${name}`, `${(total / 1024).toFixed(1)} KB`, '≤ 80 KB');
		await page.close();
	}
	await browser.close();
	await server.stop();
}
fs.rmSync(dataDir, { recursive: true, force: true });

// 4. Policy simulation (pure, in this process) ---------------------------------------------------------
{
	const { createServer } = await import('vite');
	const vite = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
	try {
		const { comparePolicies } = await vite.ssrLoadModule('/src/lib/server/policy/simulate.ts');
		const { pastReturns, activePolicy, draftPolicy } = await import('./bench-policy-data.js');
		const returns = pastReturns(100_000);
		comparePolicies(activePolicy, draftPolicy, returns.slice(0, 10_000));
		const times = [];
		for (let i = 0; i < 3; i++) {
			const t0 = performance.now();
			comparePolicies(activePolicy, draftPolicy, returns);
			times.push(performance.now() - t0);
		}
		report('policy simulation, 100,000 returns, draft vs active', `${Math.round(Math.min(...times))} ms`, '< 5000 ms');

		// The built-in return label: one A6 PDF with its Code 128 and QR codes, 200 in a row after a warm-up.
		const { renderLabelPdf } = await vite.ssrLoadModule('/src/lib/server/labels/pdf-label.ts');
		const address = { name: 'Maison Lumen — Retours', line1: '12 rue des Entrepôts', postalCode: '69007', city: 'Lyon', country: 'FR' };
		const label = (i) => ({ rma: `R-${String(i).padStart(4, '0')}-BNCH`, shopName: 'Maison Lumen', to: address, from: { ...address, name: 'Camille Martin' }, contents: ['1 × Jean slim brut (W31 / L32)'], locale: 'fr' });
		for (let i = 0; i < 20; i++) await renderLabelPdf(label(i));
		const labelTimes = [];
		for (let i = 0; i < 200; i++) {
			const t0 = performance.now();
			await renderLabelPdf(label(i));
			labelTimes.push(performance.now() - t0);
		}
		labelTimes.sort((a, b) => a - b);
		report('return label PDF (built-in), p95 of 200', `${labelTimes[189].toFixed(1)} ms (median ${median(labelTimes).toFixed(1)} ms)`, '≤ 50 ms');
	} finally {
		await vite.close();
	}
}

// 2. Order intake on PostgreSQL ------------------------------------------------------------------------
let databaseUrl = process.env.DATABASE_URL;
let stopCluster = () => {};
if (!databaseUrl) {
	const pgBin = fs.existsSync('/usr/lib/postgresql')
		? fs.readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).pop()
		: undefined;
	if (pgBin && process.getuid?.() === 0) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-bench-pg-'));
		execSync(`chown postgres:postgres ${dir}`);
		execSync(`su postgres -c "${pgBin}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8 >/dev/null"`);
		execSync(`su postgres -c "${pgBin}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o '-p 55433 -k ${dir} -c listen_addresses=127.0.0.1' start >/dev/null"`);
		databaseUrl = 'postgres://postgres@127.0.0.1:55433/postgres';
		stopCluster = () => {
			execSync(`su postgres -c "${pgBin}/pg_ctl -D ${dir}/data -m fast stop >/dev/null"`);
			fs.rmSync(dir, { recursive: true, force: true });
		};
	}
}
if (!databaseUrl) {
	console.log('order intake: skipped (set DATABASE_URL, or run as root with PostgreSQL installed)');
} else {
	const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	const name = `retour_bench_${process.pid}`;
	await admin.unsafe(`create database ${name}`);
	const url = new URL(databaseUrl);
	url.pathname = `/${name}`;
	const benchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-bench-'));
	try {
		const server = startServer({ DATA_DIR: benchDir, DATABASE_URL: url.href, RETURN_LINK_SECRET: 'b'.repeat(64), SEED_DEMO: 'true' });
		await server.ready;
		const demo = JSON.parse(fs.readFileSync(path.join(benchDir, 'demo.json'), 'utf8'));
		const sql = postgres(url.href, { max: 1, onnotice: () => {} });
		const [shop] = await sql`select id from shops limit 1`;
		const skus = (await sql`select sku from variants where shop_id = ${shop.id} order by sku limit 3`).map((r) => r.sku);

		const order = (prefix, i) => ({
			externalId: `${prefix}-${i}`,
			orderNumber: `${prefix.toUpperCase()}-${i}`,
			currency: 'EUR',
			customer: { email: `bench${i % 400}@example.com`, firstName: 'Bench', lastName: 'Customer' },
			shippingAddress: { name: 'Bench Customer', line1: '1 rue du Banc', postalCode: '75001', city: 'Paris', country: 'FR' },
			lines: skus.map((sku, j) => ({
				externalId: `l${j}`,
				sku,
				quantity: 1 + (j % 2),
				unitPrice: { amount: 1990 + j * 1000, currency: 'EUR' },
				vatRate: 20
			})),
			shipping: { amount: { amount: 495, currency: 'EUR' } },
			payment: { stripePaymentIntentId: `pi_bench${i}` },
			orderedAt: new Date(Date.now() - 86_400_000).toISOString()
		});

		// Warm both paths up a little before measuring.
		const post = (body) =>
			fetch(`${server.url}/api/v1/orders`, {
				method: 'POST',
				headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			}).then(async (r) => {
				if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${await r.text()}`);
			});
		for (let i = 0; i < 20; i++) await post(order('warm', i));

		let t0 = performance.now();
		for (let i = 0; i < ORDERS; i++) await post(order('seq', i));
		const intakeSeq = ORDERS / ((performance.now() - t0) / 1000);

		t0 = performance.now();
		let next = 0;
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				while (next < ORDERS) await post(order('par', next++));
			})
		);
		const intakePar = ORDERS / ((performance.now() - t0) / 1000);

		// The same rows by hand: customer, order, three lines, one statement each, one order after another.
		t0 = performance.now();
		for (let i = 0; i < ORDERS; i++) {
			const o = order('bare', i);
			await sql.begin(async (tx) => {
				const [c] = await tx`
					insert into customers (shop_id, email, first_name, last_name) values (${shop.id}, ${o.customer.email}, 'Bench', 'Customer')
					on conflict (shop_id, lower(email)) do update set updated_at = now() returning id`;
				const lines = o.lines.map((l, j) => ({ ...l, total: l.unitPrice.amount * l.quantity, position: j + 1 }));
				const subtotal = lines.reduce((s, l) => s + l.total, 0);
				const [row] = await tx`
					insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, shipping_amount,
						total_amount, stripe_payment_intent_id, ordered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country)
					values (${shop.id}, ${o.externalId}, ${o.orderNumber}, ${c.id}, ${o.customer.email}, 'EUR', ${subtotal}, 495,
						${subtotal + 495}, ${o.payment.stripePaymentIntentId}, ${o.orderedAt}, 'Bench Customer', '1 rue du Banc', '75001', 'Paris', 'FR')
					returning id`;
				await tx`insert into order_lines ${tx(
					lines.map((l) => ({
						shop_id: shop.id,
						order_id: row.id,
						external_id: l.externalId,
						position: l.position,
						sku: l.sku,
						title: l.sku,
						quantity: l.quantity,
						unit_price_amount: l.unitPrice.amount,
						vat_rate: 20,
						vat_amount: Math.round((l.total * 20) / 120),
						total_amount: l.total
					}))
				)}`;
			});
		}
		const bare = ORDERS / ((performance.now() - t0) / 1000);

		// 6. The conversation, deterministic: 20 customers in conversation at once through the JSON API, each from the
		// link to a submitted refund (open, items, reason, refund, method, confirm), pausing 1–3 s before each answer
		// (faster than a person reads a message and presses a button): the time of every step. Then the same 20 with
		// no pause at all, a stress figure for one Node process (every step queued behind the others').
		const CONVERSATIONS = 20;
		const links = [];
		for (let i = 0; i < CONVERSATIONS * 2 + 3; i++) {
			const body = { ...order('conv', i), deliveredAt: new Date(Date.now() - 3_600_000).toISOString() };
			const r = await fetch(`${server.url}/api/v1/orders`, {
				method: 'POST',
				headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			links.push((await r.json()).returnLink.split('/r/')[1]);
		}
		const converse = async (token, times, pauseMs) => {
			const pause = () => pauseMs && new Promise((r) => setTimeout(r, pauseMs * (0.5 + Math.random())));
			const call = async (url, body) => {
				await pause();
				const t = performance.now();
				const r = await fetch(`${server.url}/api/v1${url}`, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: body === undefined ? undefined : JSON.stringify(body)
				});
				const json = await r.json();
				if (r.status >= 300) throw new Error(`conversation step ${url} answered ${r.status}: ${JSON.stringify(json)}`);
				times?.push(performance.now() - t);
				return json;
			};
			const c = await call('/conversations');
			const items = c.actions.find((a) => a.kind === 'items').options.map((o) => ({ id: o.id, quantity: 1 }));
			const say = (reply) => call(`/conversations/${c.id}/replies`, reply);
			await say({ actionId: 'items', values: { items } });
			await say({ actionId: 'reason', values: { choice: 'changed_mind' } });
			await say({ actionId: 'refund' });
			await say({ actionId: 'method', values: { choice: 'label' } });
			const done = await say({ actionId: 'confirm' });
			if (done.state !== 'submitted') throw new Error(`conversation ended in ${done.state}`);
		};
		const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
		for (const token of links.slice(-3)) await converse(token, null, 0);
		const paced = [];
		await Promise.all(links.slice(0, CONVERSATIONS).map((token) => converse(token, paced, 2000)));
		report(`conversation step p95, ${CONVERSATIONS} conversations at once (PostgreSQL)`, `${Math.round(p95(paced))} ms (median ${Math.round(median(paced))} ms)`, '≤ 50 ms');
		const stress = [];
		await Promise.all(links.slice(CONVERSATIONS, CONVERSATIONS * 2).map((token) => converse(token, stress, 0)));
		report(`  the same with no pause between answers`, `${Math.round(p95(stress))} ms (median ${Math.round(median(stress))} ms)`);
		await server.stop();

		// The intake code itself (validation, pricing, catalogue lookup, the write), in this process, with the
		// app's own client: what the API adds to the bare rows, without the HTTP round trip.
		const { createServer } = await import('vite');
		const vite = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error' });
		const { ingestOrder } = await vite.ssrLoadModule('/src/lib/server/orders/intake.ts');
		const { connect } = await vite.ssrLoadModule('/src/lib/server/db/connect.ts');
		const appSql = connect({ url: url.href, max: 10 });
		// postgres.js learns the array types on its first query; the app's first query is its migration.
		await appSql`select 1`;
		for (let i = 0; i < 20; i++) await ingestOrder(appSql, shop.id, order('fnwarm', i), { source: 'api' });
		t0 = performance.now();
		for (let i = 0; i < ORDERS; i++) await ingestOrder(appSql, shop.id, order('fn', i), { source: 'api' });
		const intakeFn = ORDERS / ((performance.now() - t0) / 1000);

		// The policy simulation as the editor runs it: 100,000 past returns read from PostgreSQL, rebuilt as
		// they were when asked for, and decided under the live policy and a draft.
		const SIM = Number(process.env.BENCH_SIM_RETURNS ?? 100_000);
		const products = (await sql`select id from products where shop_id = ${shop.id} order by external_id`).map((r) => r.id);
		const reasons = ['too_small', 'too_large', 'changed_mind', 'arrived_damaged', 'not_as_described', 'defective'];
		const taken = ['refund', 'store_credit', 'exchange', 'refund'];
		await sql`
			insert into customers (shop_id, email)
			select ${shop.id}, 'sim' || g || '@example.com' from generate_series(1, ${Math.ceil(SIM / 5)}) g`;
		await sql`
			insert into orders (shop_id, external_id, order_number, customer_id, email, currency, subtotal_amount, shipping_amount,
				total_amount, ordered_at, delivered_at, ship_name, ship_line1, ship_postal_code, ship_city, ship_country, source)
			select ${shop.id}, 'sim-' || g, 'SIM-' || g, c.id, c.email, 'EUR', 2990 + (g % 50) * 200, 495, 3485 + (g % 50) * 200,
				now() - ((g % 300) + 45) * interval '1 day', now() - ((g % 300) + 42) * interval '1 day',
				'Sim', '1 rue', '75001', 'Paris', (array['FR', 'DE', 'BE', 'US', 'CH'])[g % 5 + 1], 'import'
			from generate_series(1, ${SIM}) g
			join customers c on c.shop_id = ${shop.id} and lower(c.email) = 'sim' || (g % ${Math.ceil(SIM / 5)} + 1) || '@example.com'`;
		await sql`
			insert into order_lines (shop_id, order_id, external_id, position, product_id, title, quantity, unit_price_amount,
				vat_rate, vat_amount, total_amount)
			select ${shop.id}, o.id, 'l1', 1, (${products}::uuid[])[n % ${products.length} + 1], 'Sim item', 1, o.subtotal_amount,
				20, round(o.subtotal_amount / 6.0), o.subtotal_amount
			from (select id, subtotal_amount, substr(external_id, 5)::int as n from orders where shop_id = ${shop.id} and external_id like 'sim-%') o`;
		await sql`
			insert into returns (shop_id, order_id, customer_id, rma, reception_status, decision_status, channel, currency, requested_at)
			select ${shop.id}, o.id, o.customer_id,
				'R-' || upper(lpad(to_hex(n / 65536), 4, '0')) || '-' || upper(lpad(to_hex(n % 65536), 4, '0')),
				'received', 'accepted', 'import', 'EUR', o.delivered_at + (n % 40) * interval '1 day'
			from (select id, customer_id, delivered_at, substr(external_id, 5)::int as n from orders where shop_id = ${shop.id} and external_id like 'sim-%') o`;
		await sql`
			insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code, requested_resolution)
			select ${shop.id}, r.id, ol.id, 1, (${reasons}::text[])[n % ${reasons.length} + 1], (${taken}::text[])[n % ${taken.length} + 1]
			from (select r.id, r.order_id, substr(o.external_id, 5)::int as n from returns r join orders o on o.id = r.order_id
				where r.shop_id = ${shop.id} and o.external_id like 'sim-%') r
			join order_lines ol on ol.order_id = r.order_id`;
		await sql`analyze`;
		const { simulateAgainstLive } = await vite.ssrLoadModule('/src/lib/server/policy/workbench.ts');
		const { livePolicy } = await vite.ssrLoadModule('/src/lib/server/policy/versions.ts');
		const live = (await livePolicy(appSql, shop.id)).policy;
		const draft = { ...live, defaults: { ...live.defaults, windowDays: 21, restockingFeeBasisPoints: 500 } };
		await simulateAgainstLive(appSql, shop.id, draft, 1);
		const simTimes = [];
		let simulated = 0;
		for (let i = 0; i < 2; i++) {
			const sim = await simulateAgainstLive(appSql, shop.id, draft, 24);
			simulated = sim.comparison.returns;
			simTimes.push(sim.ms);
		}
		// 7. Fulfilment: 1,000 accepted returns (BENCH_RETURNS) waiting in the queue, then taken end to end by the job
		// workers — label PDF, refund through a local fake of Stripe, both emails in the outbox.
		const RETURNS = Number(process.env.BENCH_RETURNS ?? 1000);
		const { startFakeStripe } = await vite.ssrLoadModule('/src/lib/server/refunds/fake-stripe.ts');
		const { createStripe } = await vite.ssrLoadModule('/src/lib/server/refunds/stripe.ts');
		const { startWorkers, installJobs } = await vite.ssrLoadModule('/src/lib/server/jobs/index.ts');
		const { jobHandlers } = await vite.ssrLoadModule('/src/lib/server/jobs/handlers.ts');
		const { builtinLabels } = await vite.ssrLoadModule('/src/lib/server/labels/provider.ts');
		const { createReturn } = await vite.ssrLoadModule('/src/lib/server/returns/service.ts');
		process.env.RETURN_LINK_SECRET ??= 'b'.repeat(64);
		const fakeStripe = await startFakeStripe({ openapiDir: null });
		await installJobs(appSql);
		const made = [];
		for (let i = 0; i < RETURNS; i++) {
			const { order: o } = await ingestOrder(appSql, shop.id, order('ful', i), { source: 'api' });
			const payment = fakeStripe.addPayment({ amount: 100_000, currency: 'eur' });
			await appSql`update orders set stripe_payment_intent_id = ${payment.paymentIntentId}, ordered_at = now() - interval '6 days',
				fulfilled_at = now() - interval '5 days', delivered_at = now() - interval '3 days' where id = ${o.id}`;
			const [line] = await appSql`select id from order_lines where order_id = ${o.id} order by position limit 1`;
			// A defective item: the default policy refunds it on approval, so acceptance queues label, refund and emails.
			const r = await createReturn(
				appSql,
				{ shopId: shop.id, orderId: o.id, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: line.id, quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }] },
				{ kind: 'customer' }
			);
			made.push(r.id);
		}
		const f0 = performance.now();
		const workers = await startWorkers(
			appSql,
			jobHandlers(appSql, { stripe: createStripe({ secretKey: fakeStripe.apiKey, apiBase: fakeStripe.url }), labels: { builtin: builtinLabels }, smtpUrl: null }),
			{ pollingIntervalSeconds: 0.5, batchSize: 20 }
		);
		let done = [];
		for (const until = Date.now() + 900_000; Date.now() < until; ) {
			[{ done }] = await appSql`
				select count(*)::int as done from returns r
				where r.id in ${appSql(made)}
					and exists (select 1 from return_labels l where l.return_id = r.id and l.status = 'created')
					and exists (select 1 from refunds f where f.return_id = r.id and f.status = 'succeeded')
					and (select count(*) from emails e where e.return_id = r.id) >= 2`;
			if (done === made.length) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const elapsed = (performance.now() - f0) / 1000;
		await workers.stop();
		// Per return: from its first job taken by a worker to its last effect recorded.
		const spans = await appSql`
			select extract(epoch from greatest(l.updated_at, f.settled_at, (select max(e.created_at) from emails e where e.return_id = r.id))
				- least((select min(j.started_on) from pgboss.job j where j.name = 'label-create' and j.data->>'returnId' = r.id::text),
					(select min(j.started_on) from pgboss.job j where j.name = 'refund-send' and j.data->>'refundId' = f.id::text))) * 1000 as ms
			from returns r join return_labels l on l.return_id = r.id join refunds f on f.return_id = r.id
			where r.id in ${appSql(made)}`;
		await fakeStripe.close();
		const perReturn = spans.map((d) => Number(d.ms)).sort((a, b) => a - b);
		report(`fulfilment: ${RETURNS} accepted returns end to end (PostgreSQL)`, `${done} in ${elapsed.toFixed(1)} s: ${(done / elapsed).toFixed(0)} returns/s`);
		report('  per return, first job taken to label + refund + emails, p95', `${Math.round(p95(perReturn))} ms (median ${Math.round(median(perReturn))} ms)`);
		report('  Stripe refunds made / returns', `${fakeStripe.refunds.length} / ${RETURNS}`, 'exactly one each');

		const { benchRiskScoring } = await import('./bench-risk.js');
		await benchRiskScoring({ vite, sql, appSql, report });

		await appSql.end();
		await vite.close();

		// What one HTTP round trip costs on this machine, for reading the HTTP figures.
		const quiet = startServer({ DATA_DIR: benchDir, DATABASE_URL: url.href, RETURN_LINK_SECRET: 'b'.repeat(64), SEED_DEMO: 'false' });
		await quiet.ready;
		t0 = performance.now();
		for (let i = 0; i < 200; i++) await fetch(`${quiet.url}/favicon.svg`).then((r) => r.arrayBuffer());
		const roundTrip = (performance.now() - t0) / 200;
		await quiet.stop();

		report('bare postgres.js loop, same rows', `${bare.toFixed(0)} orders/s`);
		report(`order intake (ingestOrder), ${ORDERS} × 3 lines`, `${intakeFn.toFixed(0)} orders/s`);
		report('intake / bare', `${Math.round((intakeFn / bare) * 100)} %`, '≥ 50 %');
		report(`POST /api/v1/orders, one at a time`, `${intakeSeq.toFixed(0)} orders/s (${Math.round((intakeSeq / bare) * 100)} % of bare)`);
		report(`POST /api/v1/orders, 4 at a time`, `${intakePar.toFixed(0)} orders/s (${Math.round((intakePar / bare) * 100)} % of bare)`);
		report('one HTTP round trip for a static file', `${roundTrip.toFixed(1)} ms`);
		report(
			`policy simulation on PostgreSQL, ${simulated.toLocaleString('en')} returns read and compared`,
			`${Math.min(...simTimes)} ms`,
			'< 5000 ms'
		);
		await sql.end();
	} finally {
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
		fs.rmSync(benchDir, { recursive: true, force: true });
		stopCluster();
	}
}
