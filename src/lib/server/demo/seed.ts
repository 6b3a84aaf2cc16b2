import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addMember, createUser } from '../auth/users';
import { upsertProduct } from '../catalogue/products';
import { publicOrigin, type Config } from '../config';
import type { Sql, TransactionSql } from '../db';
import { log } from '../log';
import { ingestOrder } from '../orders/intake';
import { signReturnToken } from '../orders/return-links';
import { createReturn, resolveLine, transitionReturn, type Actor, type Answer } from '../returns/service';
import { returnLinkSecret } from '../secrets';
import { createApiKey } from '../shops/api-keys';
import { createShop } from '../shops/service';
import { DEMO_PRODUCTS } from './catalogue';
import { DEMO_TIME_ZONE, planDemo, SCENARIOS, type PlannedReturn } from './plan';
import { DEMO_POLICY } from './policy';
import { activatePolicyVersion, livePolicy, savePolicyVersion } from '../policy/versions';

export interface DemoInfo {
	url: string;
	admin: { email: string; password: string };
	apiKey: string;
	returnLinks: { scenario: string; url: string; orderNumber: string; email: string }[];
}

export const DEMO_OWNER_EMAIL = 'owner@demo.retour.test';
export const DEMO_SHOP_SLUG = 'demo';

/**
 * On an installation without any shop, creates Maison Lumen: a French shop selling clothing and
 * electronics to EU customers, with six months of orders and returns, through the app's own services
 * (so the demo shows what real data looks like). Writes DATA_DIR/demo.json and returns what to print;
 * null when a shop already exists. One transaction: if anything fails, nothing of the demo is left.
 */
export async function seedDemoIfEmpty(sql: Sql, config: Config): Promise<DemoInfo | null> {
	const started = Date.now();
	const demoFile = path.join(config.dataDir, 'demo.json');
	try {
		const info = await sql.begin(async (tx) => {
			// Several app processes may start together on one PostgreSQL: one seeds, the others see its shop.
			await tx`select pg_advisory_xact_lock(7406873413)`;
			const [{ any }] = await tx<{ any: boolean }[]>`select exists (select 1 from shops) as any`;
			if (any) return null;
			return seed(tx, config, demoFile);
		});
		if (info) log.info({ shop: DEMO_SHOP_SLUG, ms: Date.now() - started }, 'demo shop seeded');
		return info;
	} catch (error) {
		// Written just before a commit that then failed: it would describe a shop that does not exist.
		if (fs.statSync(demoFile, { throwIfNoEntry: false })?.isFile()) fs.rmSync(demoFile);
		throw error;
	}
}

/** Everything in the caller's transaction (the services nest in it as savepoints): all of it, or nothing. */
async function seed(tx: TransactionSql, config: Config, demoFile: string): Promise<DemoInfo> {
	const plan = planDemo(new Date());
	const shop = await createShop(tx, {
		slug: DEMO_SHOP_SLUG,
		name: 'Maison Lumen',
		currency: 'EUR',
		locale: 'fr',
		country: 'FR',
		timezone: DEMO_TIME_ZONE,
		supportEmail: 'service-client@demo.retour.test',
		markets: ['FR', 'BE', 'DE', 'ES', 'IT', 'NL'],
		returnAddress: {
			name: 'Maison Lumen — Service retours',
			line1: '12 rue de l’Industrie',
			line2: 'Entrepôt B, quai 4',
			postalCode: '69800',
			city: 'Saint-Priest',
			country: 'FR'
		}
	});
	const password = generatePassword();
	const owner = await createUser(tx, { email: DEMO_OWNER_EMAIL, name: 'Claire Moreau', password, locale: 'fr' });
	await addMember(tx, shop.id, owner.id, 'owner');
	const policy = await savePolicyVersion(tx, shop.id, DEMO_POLICY, { userId: owner.id, email: owner.email }, (await livePolicy(tx, shop.id)).versionId);
	await activatePolicyVersion(tx, shop.id, policy.id, { userId: owner.id, email: owner.email });
	const apiKey = await createApiKey(tx, shop.id, 'Boutique en ligne (démo)', owner.id);

	for (const p of DEMO_PRODUCTS) await upsertProduct(tx, shop.id, p.externalId, p.input);

	const orders = new Map<string, { id: string; customerId: string; lineIds: Map<string, string> }>();
	for (const o of plan.orders) {
		const { order } = await ingestOrder(tx, shop.id, o.input, { source: 'demo' });
		orders.set(o.externalId, {
			id: order.id,
			customerId: order.customer.id,
			lineIds: new Map(order.lines.map((l) => [l.externalId, l.id]))
		});
	}

	const devices = new Map(
		(await tx<{ id: string; model: string }[]>`select id, model from devices where shop_id = ${shop.id}`).map((d) => [d.model, d.id])
	);
	const staff: Actor = { kind: 'staff', id: owner.id };
	for (const r of plan.returns) await writeReturn(tx, shop.id, r, orders.get(r.orderExternalId)!, devices, staff);

	const url = publicOrigin(config);
	const secret = returnLinkSecret(config);
	const info: DemoInfo = {
		url,
		admin: { email: DEMO_OWNER_EMAIL, password },
		apiKey: apiKey.key,
		returnLinks: SCENARIOS.map((scenario) => {
			const o = plan.orders.find((o) => o.scenario === scenario)!;
			return {
				scenario,
				url: `${url}/r/${signReturnToken(secret, orders.get(o.externalId)!.id)}`,
				orderNumber: o.orderNumber,
				email: o.customer.email
			};
		})
	};
	// Last, so that any failure before it leaves no file; the caller removes it if the commit fails.
	fs.mkdirSync(config.dataDir, { recursive: true });
	fs.writeFileSync(demoFile, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
	log.info({ orders: plan.orders.length, returns: plan.returns.length }, 'demo history written');
	return info;
}

async function writeReturn(
	tx: TransactionSql,
	shopId: string,
	r: PlannedReturn,
	order: { id: string; customerId: string; lineIds: Map<string, string> },
	devices: Map<string, string>,
	staff: Actor
) {
	const lineId = (externalId: string) => {
		const id = order.lineIds.get(externalId);
		if (!id) throw new Error(`Demo return names an unknown order line "${externalId}"`);
		return id;
	};
	const created = await createReturn(
		tx,
		{
			shopId,
			orderId: order.id,
			channel: 'demo',
			isWithdrawal: r.isWithdrawal,
			receptionStatus: r.keepItem ? 'not_required' : 'awaiting',
			requestedAt: r.requestedAt,
			lines: r.lines.map((l) => ({
				orderLineId: lineId(l.lineExternalId),
				quantity: l.quantity,
				reasonCode: l.reasonCode,
				comment: l.comment,
				requestedResolution: l.requestedResolution,
				answers: l.answers.flatMap((a): Answer[] => {
					if (a.type !== 'device') return [a];
					const deviceId = devices.get(a.model);
					return deviceId ? [{ question: a.question, type: 'device', deviceId }] : [];
				})
			}))
		},
		{ kind: 'customer', id: order.customerId }
	);
	const returnLineId = new Map(created.lines.map((l) => [l.orderLineId, l.id]));
	for (const step of r.steps) {
		if (step.kind === 'resolve') {
			await resolveLine(tx, { shopId, returnLineId: returnLineId.get(lineId(step.lineExternalId))!, to: step.to, at: step.at }, { kind: 'system' });
		} else {
			await transitionReturn(
				tx,
				{ shopId, returnId: created.id, machine: step.kind, to: step.to, at: step.at, reason: step.kind === 'decision' ? step.reason : null },
				step.kind === 'reception' ? { kind: 'system' } : step.to === 'cancelled' ? { kind: 'customer', id: order.customerId } : staff
			);
		}
	}
}

/** Four groups of four letters and digits that cannot be mistaken for one another: 80 bits, easy to type. */
function generatePassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	return Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')).join('-');
}
