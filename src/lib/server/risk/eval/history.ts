import { createRandom, type Random } from '../../demo/prng';

/**
 * Realistic shop histories for evaluating the risk score: who buys, what comes back, when, in what state,
 * and which returns are abuse. Written and frozen before the scorer was tuned (see README "Risk"): changing
 * the personas or their rates after the fact would grade the scorer on data bent to fit it.
 *
 * The shop sells clothing, shoes and electronics over 540 days, a 30-day window from delivery. Customers are
 * one of six personas (shares of people drawn; a fraud ring is one draw and 2–4 accounts):
 *
 *   honest_regular     82.6 %  1–6 orders, 20–22 % of clothing lines back, 8–10 % of electronics
 *   honest_heavy        8 %    4–15 orders, 55–75 % of lines back (the fashion customer who orders to try)
 *   honest_bracketer    7 %    most orders hold one product in 2–3 sizes; all but one size back within days
 *   abusive_bracketer   1 %    3–5 sizes or colours at a time, all or all but one back, often worn, often late
 *   wardrober           1.2 %  occasion wear and cameras worn for the event, back in the window's last days
 *   empty_box           0.2 %  fraud rings of 2–4 accounts sharing an address or a card: high-value electronics
 *                              "defective" and an empty box or a cheap substitute comes back; or "never arrived"
 *
 * With these rates abuse is about a fifth of the value returned and 8 % of the returns (NRF/Appriss put fraud
 * and abuse at 13–15 % of returns by value: a slightly harder shop than the average).
 *   (households)             6 % of honest accounts share an address with another; 3 % of honest people keep
 *                            a second email with the same card and address (guest checkout)
 *
 * Honest customers are not spotless: 3 % of their returned items come back used (tried on, worn once), 2 %
 * damaged (in transit, or the defect they reported), 0.5 % the wrong item (a mix-up at home), and 1 % of their
 * orders have a genuine "not received" claim. Every return of an abusive persona is labelled abusive.
 */

export const WINDOW_DAYS = 30;
export const HORIZON_DAYS = 540;
const DAY = 86_400_000;

export const PERSONAS = [
	'honest_regular',
	'honest_heavy',
	'honest_bracketer',
	'abusive_bracketer',
	'wardrober',
	'empty_box'
] as const;
export type Persona = (typeof PERSONAS)[number];

export const PERSONA_SHARES: Record<Persona, number> = {
	honest_regular: 0.826,
	honest_heavy: 0.08,
	honest_bracketer: 0.07,
	abusive_bracketer: 0.01,
	wardrober: 0.012,
	empty_box: 0.002
};

export const isAbusive = (p: Persona) => p === 'abusive_bracketer' || p === 'wardrober' || p === 'empty_box';

/** What inspection finds: the conditions. */
export const CONDITIONS = ['new', 'opened', 'used', 'damaged', 'wrong_item', 'missing'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface SimProduct {
	id: string;
	category: string;
	title: string;
	price: number; // minor units, EUR
	tags: string[]; // "occasion": worn for an event
	sizes: string[];
}

export interface SimOrderLine {
	id: string;
	productId: string;
	variant: string;
	unitPrice: number;
	quantity: number;
}

export interface SimOrder {
	id: string;
	customerId: string;
	email: string;
	addressKey: string;
	paymentFingerprint: string;
	orderedAt: Date;
	deliveredAt: Date;
	lines: SimOrderLine[];
}

export interface SimCustomer {
	id: string;
	email: string;
	persona: Persona;
	/** Accounts of one person or one ring share an identity. */
	identity: string;
}

export interface SimReturnLine {
	orderLineId: string;
	quantity: number;
	reason: string;
	/** What inspection found. */
	condition: Condition;
}

export interface SimReturn {
	id: string;
	orderId: string;
	customerId: string;
	requestedAt: Date;
	receivedAt: Date;
	inspectedAt: Date;
	lines: SimReturnLine[];
	abusive: boolean;
	behaviour: 'normal' | 'bracketing' | 'wardrobing' | 'empty_box';
}

export interface SimClaim {
	id: string;
	orderId: string;
	customerId: string;
	kind: 'not_received';
	at: Date;
	abusive: boolean;
}

export interface SimHistory {
	seed: number;
	start: Date;
	end: Date;
	windowDays: number;
	products: SimProduct[];
	customers: SimCustomer[];
	orders: SimOrder[]; // by orderedAt
	returns: SimReturn[]; // by requestedAt
	claims: SimClaim[]; // by at
}

const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const JEAN_SIZES = ['W28', 'W29', 'W30', 'W31', 'W32', 'W33', 'W34', 'W36'];
const SHOE_SIZES = ['37', '38', '39', '40', '41', '42', '43', '44'];

function catalogue(): SimProduct[] {
	const products: SimProduct[] = [];
	const add = (n: number, category: string, title: string, price: [number, number], sizes: string[], tags: string[] = []) => {
		for (let i = 0; i < n; i++) {
			const p = price[0] + Math.round(((price[1] - price[0]) * i) / Math.max(1, n - 1) / 100) * 100;
			products.push({ id: `p${products.length + 1}`, category, title: `${title} ${i + 1}`, price: p, tags, sizes });
		}
	};
	add(20, 'clothing/tops', 'Tee', [1_500, 4_500], SIZES);
	add(12, 'clothing/jeans', 'Jean', [5_900, 11_900], JEAN_SIZES);
	add(10, 'clothing/dresses', 'Day dress', [4_900, 9_900], SIZES);
	add(10, 'clothing/occasion', 'Evening dress', [14_900, 45_000], SIZES, ['occasion']);
	add(6, 'clothing/occasion', 'Suit', [19_900, 49_900], SIZES, ['occasion']);
	add(12, 'shoes', 'Sneaker', [6_900, 15_900], SHOE_SIZES);
	add(10, 'electronics/cables', 'Cable', [900, 2_900], ['1m', '2m']);
	add(8, 'electronics/audio', 'Headphones', [7_900, 34_900], ['black', 'white']);
	add(6, 'electronics/cameras', 'Camera', [39_900, 129_900], ['body', 'kit'], ['occasion']);
	add(6, 'electronics/consoles', 'Console', [29_900, 59_900], ['standard']);
	return products;
}

interface Ctx {
	r: Random;
	start: number;
	end: number;
	products: SimProduct[];
	byCategory: (prefix: string) => SimProduct[];
	customers: SimCustomer[];
	orders: SimOrder[];
	returns: SimReturn[];
	claims: SimClaim[];
	seq: number;
}

const id = (ctx: Ctx, prefix: string) => `${prefix}${++ctx.seq}`;

/** Days as a float, skewed towards `low` when `skew` > 1. */
const days = (r: Random, low: number, high: number, skew = 1) => low + (high - low) * Math.pow(r.next(), skew);

interface Identity {
	key: string;
	addressKey: string;
	paymentFingerprint: string;
}

function newIdentity(ctx: Ctx): Identity {
	const key = id(ctx, 'i');
	return { key, addressKey: `addr-${ctx.r.alphanumeric(10)}`, paymentFingerprint: `fp_${ctx.r.alphanumeric(14)}` };
}

function newCustomer(ctx: Ctx, persona: Persona, identity: Identity): SimCustomer {
	const c: SimCustomer = { id: id(ctx, 'c'), email: `${ctx.r.alphanumeric(8).toLowerCase()}@example.${ctx.r.pick(['com', 'fr', 'net'])}`, persona, identity: identity.key };
	ctx.customers.push(c);
	return c;
}

function placeOrder(ctx: Ctx, customer: SimCustomer, identity: Identity, at: number, lines: { product: SimProduct; variant: string }[]): SimOrder | null {
	const deliveredAt = at + days(ctx.r, 1.5, 5) * DAY;
	if (deliveredAt > ctx.end) return null;
	const order: SimOrder = {
		id: id(ctx, 'o'),
		customerId: customer.id,
		email: customer.email,
		addressKey: identity.addressKey,
		paymentFingerprint: identity.paymentFingerprint,
		orderedAt: new Date(at),
		deliveredAt: new Date(deliveredAt),
		lines: lines.map((l) => ({ id: id(ctx, 'l'), productId: l.product.id, variant: l.variant, unitPrice: l.product.price, quantity: 1 }))
	};
	ctx.orders.push(order);
	return order;
}

function addReturn(
	ctx: Ctx,
	order: SimOrder,
	lines: { line: SimOrderLine; reason: string; condition: Condition }[],
	daysAfterDelivery: number,
	abusive: boolean,
	behaviour: SimReturn['behaviour']
) {
	if (lines.length === 0) return;
	const requested = order.deliveredAt.getTime() + Math.min(daysAfterDelivery, WINDOW_DAYS - 0.01) * DAY;
	if (requested > ctx.end) return;
	const received = requested + days(ctx.r, 2, 7) * DAY;
	const inspected = received + days(ctx.r, 0.1, 2) * DAY;
	ctx.returns.push({
		id: id(ctx, 'r'),
		orderId: order.id,
		customerId: order.customerId,
		requestedAt: new Date(requested),
		receivedAt: new Date(received),
		inspectedAt: new Date(inspected),
		lines: lines.map((l) => ({ orderLineId: l.line.id, quantity: l.line.quantity, reason: l.reason, condition: l.condition })),
		abusive,
		behaviour
	});
}

const product = (ctx: Ctx, category: string) => ctx.r.pick(ctx.byCategory(category));

/** A basket an ordinary customer puts together. */
function ordinaryBasket(ctx: Ctx): { product: SimProduct; variant: string }[] {
	const n = ctx.r.weighted([
		[1, 55],
		[2, 30],
		[3, 15]
	] as const);
	return Array.from({ length: n }, () => {
		const category = ctx.r.weighted([
			['clothing/tops', 28],
			['clothing/jeans', 16],
			['clothing/dresses', 12],
			['clothing/occasion', 3],
			['shoes', 14],
			['electronics/cables', 14],
			['electronics/audio', 9],
			['electronics/cameras', 1],
			['electronics/consoles', 3]
		] as const);
		const p = product(ctx, category);
		return { product: p, variant: ctx.r.pick(p.sizes) };
	});
}

const HONEST_REASONS: Record<string, readonly (readonly [string, number])[]> = {
	clothing: [
		['too_small', 30],
		['too_large', 25],
		['fit_other', 12],
		['not_as_pictured', 10],
		['poor_quality', 6],
		['changed_mind', 12],
		['arrived_damaged', 2],
		['wrong_item', 1],
		['withdrawal', 2]
	],
	shoes: [
		['too_small', 35],
		['too_large', 30],
		['fit_other', 10],
		['changed_mind', 15],
		['poor_quality', 5],
		['arrived_damaged', 3],
		['withdrawal', 2]
	],
	electronics: [
		['defective', 30],
		['incompatible_device', 20],
		['not_as_described', 10],
		['changed_mind', 20],
		['found_better_price', 8],
		['arrived_damaged', 5],
		['missing_parts', 4],
		['withdrawal', 3]
	]
};

const family = (p: SimProduct) => p.category.split('/')[0];

function honestCondition(ctx: Ctx, reason: string): Condition {
	if (reason === 'arrived_damaged' || (reason === 'defective' && ctx.r.chance(0.3))) return 'damaged';
	return ctx.r.weighted([
		['new', 62],
		['opened', 32.5],
		['used', 3],
		['damaged', 2],
		['wrong_item', 0.5]
	] as const);
}

/** A day in the window an honest customer sends things back: mostly the first two weeks. */
const honestDay = (ctx: Ctx) => (ctx.r.chance(0.9) ? days(ctx.r, 0.5, 16, 1.4) : days(ctx.r, 16, WINDOW_DAYS));

function honestReturn(ctx: Ctx, order: SimOrder, rate: (p: SimProduct) => number) {
	const lines = order.lines
		.map((line) => ({ line, p: ctx.products.find((p) => p.id === line.productId)! }))
		.filter(({ p }) => ctx.r.chance(rate(p)))
		.map(({ line, p }) => {
			const reason = ctx.r.weighted(HONEST_REASONS[family(p)]);
			return { line, reason, condition: honestCondition(ctx, reason) };
		});
	addReturn(ctx, order, lines, honestDay(ctx), false, 'normal');
}

function maybeHonestClaim(ctx: Ctx, order: SimOrder, customer: SimCustomer) {
	if (!ctx.r.chance(0.01)) return;
	const at = order.deliveredAt.getTime() + days(ctx.r, 1, 10) * DAY;
	if (at <= ctx.end) ctx.claims.push({ id: id(ctx, 'x'), orderId: order.id, customerId: customer.id, kind: 'not_received', at: new Date(at), abusive: false });
}

/** Order times for one account: a first order, then gaps. */
function orderTimes(ctx: Ctx, count: number, gap: [number, number], from?: number): number[] {
	let t = from ?? ctx.start + days(ctx.r, 0, HORIZON_DAYS - 30) * DAY;
	const times: number[] = [];
	for (let i = 0; i < count && t < ctx.end; i++) {
		times.push(t);
		t += days(ctx.r, gap[0], gap[1]) * DAY;
	}
	return times;
}

function honestRegular(ctx: Ctx, c: SimCustomer, idn: Identity, times?: number[]) {
	for (const at of times ?? orderTimes(ctx, ctx.r.weighted([[1, 35], [2, 25], [3, 16], [4, 11], [5, 8], [6, 5]] as const), [20, 120])) {
		const order = placeOrder(ctx, c, idn, at, ordinaryBasket(ctx));
		if (!order) continue;
		honestReturn(ctx, order, (p) => (family(p) === 'electronics' ? (p.category === 'electronics/cables' ? 0.1 : 0.08) : family(p) === 'shoes' ? 0.2 : 0.22));
		maybeHonestClaim(ctx, order, c);
	}
}

function honestHeavy(ctx: Ctx, c: SimCustomer, idn: Identity) {
	const rate = 0.55 + ctx.r.next() * 0.2;
	for (const at of orderTimes(ctx, ctx.r.int(4, 15), [10, 60])) {
		const basket = ordinaryBasket(ctx).concat(ctx.r.chance(0.5) ? ordinaryBasket(ctx) : []);
		const order = placeOrder(ctx, c, idn, at, basket);
		if (!order) continue;
		honestReturn(ctx, order, (p) => (family(p) === 'electronics' ? rate / 3 : rate));
		maybeHonestClaim(ctx, order, c);
	}
}

/** One product in neighbouring sizes (or colours). */
function bracket(ctx: Ctx, n: number): { product: SimProduct; variant: string }[] {
	const p = product(ctx, ctx.r.weighted([['clothing/jeans', 35], ['clothing/dresses', 25], ['clothing/tops', 15], ['shoes', 25]] as const));
	const first = ctx.r.int(0, Math.max(0, p.sizes.length - n));
	return p.sizes.slice(first, first + n).map((variant) => ({ product: p, variant }));
}

function honestBracketer(ctx: Ctx, c: SimCustomer, idn: Identity) {
	for (const at of orderTimes(ctx, ctx.r.int(3, 10), [20, 90])) {
		if (!ctx.r.chance(0.6)) {
			const order = placeOrder(ctx, c, idn, at, ordinaryBasket(ctx));
			if (order) honestReturn(ctx, order, (p) => (family(p) === 'electronics' ? 0.08 : 0.22));
			continue;
		}
		const sizes = bracket(ctx, ctx.r.int(2, 3));
		const order = placeOrder(ctx, c, idn, at, ctx.r.chance(0.3) ? sizes.concat(ordinaryBasket(ctx)) : sizes);
		if (!order) continue;
		const bracketLines = order.lines.slice(0, sizes.length);
		// Keeps the one that fits (now and then none does: 10 %).
		const kept = ctx.r.chance(0.9) ? ctx.r.int(0, bracketLines.length - 1) : -1;
		const back = bracketLines
			.filter((_, i) => i !== kept)
			.map((line, i) => {
				const reason = kept === -1 ? ctx.r.pick(['too_small', 'too_large', 'fit_other']) : i < kept ? 'too_small' : 'too_large';
				return { line, reason, condition: ctx.r.weighted([['new', 70], ['opened', 28], ['used', 2]] as const) as Condition };
			});
		addReturn(ctx, order, back, days(ctx.r, 0.5, 8, 1.3), false, 'bracketing');
	}
}

function abusiveBracketer(ctx: Ctx, c: SimCustomer, idn: Identity) {
	for (const at of orderTimes(ctx, ctx.r.int(3, 12), [12, 50])) {
		const sizes = ctx.r.chance(0.8) ? bracket(ctx, ctx.r.int(3, 5)) : ordinaryBasket(ctx);
		const order = placeOrder(ctx, c, idn, at, sizes);
		if (!order) continue;
		const keepOne = ctx.r.chance(0.4);
		const kept = keepOne ? ctx.r.int(0, order.lines.length - 1) : -1;
		const back = order.lines
			.filter((_, i) => i !== kept)
			.map((line) => ({
				line,
				reason: ctx.r.weighted([['too_small', 20], ['too_large', 20], ['fit_other', 15], ['not_as_pictured', 15], ['poor_quality', 15], ['changed_mind', 15]] as const),
				condition: ctx.r.weighted([['new', 20], ['opened', 45], ['used', 32], ['damaged', 3]] as const) as Condition
			}));
		addReturn(ctx, order, back, ctx.r.chance(0.5) ? days(ctx.r, 15, WINDOW_DAYS) : days(ctx.r, 2, 15), true, 'bracketing');
	}
}

function wardrober(ctx: Ctx, c: SimCustomer, idn: Identity) {
	for (const at of orderTimes(ctx, ctx.r.int(2, 8), [20, 80])) {
		const event = ctx.r.chance(0.65);
		const basket = event
			? [(() => {
					const p = product(ctx, ctx.r.chance(0.75) ? 'clothing/occasion' : 'electronics/cameras');
					return { product: p, variant: ctx.r.pick(p.sizes) };
				})(), ...(ctx.r.chance(0.4) ? ordinaryBasket(ctx) : [])]
			: ordinaryBasket(ctx);
		const order = placeOrder(ctx, c, idn, at, basket);
		if (!order || !event) continue;
		const p = ctx.products.find((x) => x.id === order.lines[0].productId)!;
		addReturn(
			ctx,
			order,
			[
				{
					line: order.lines[0],
					reason: ctx.r.weighted(
						family(p) === 'electronics'
							? ([['changed_mind', 40], ['not_as_described', 25], ['found_better_price', 20], ['defective', 15]] as const)
							: ([['changed_mind', 30], ['not_as_pictured', 25], ['fit_other', 20], ['poor_quality', 15], ['too_large', 10]] as const)
					),
					condition: ctx.r.weighted([['new', 10], ['opened', 40], ['used', 50]] as const) as Condition
				}
			],
			ctx.r.chance(0.8) ? days(ctx.r, 21, WINDOW_DAYS) : days(ctx.r, 9, 21),
			true,
			'wardrobing'
		);
	}
}

/** A ring of accounts sharing an address or a card, one after the other. */
function emptyBoxRing(ctx: Ctx) {
	const accounts = ctx.r.int(2, 4);
	const shared = newIdentity(ctx);
	const link = ctx.r.weighted([['address', 50], ['card', 30], ['both', 20]] as const);
	let t = ctx.start + days(ctx.r, 0, HORIZON_DAYS - 90) * DAY;
	for (let a = 0; a < accounts && t < ctx.end; a++) {
		const own = newIdentity(ctx);
		const idn: Identity = {
			key: shared.key,
			addressKey: link === 'card' ? own.addressKey : shared.addressKey,
			paymentFingerprint: link === 'address' ? own.paymentFingerprint : shared.paymentFingerprint
		};
		const c = newCustomer(ctx, 'empty_box', idn);
		for (const at of orderTimes(ctx, ctx.r.int(1, 3), [7, 40], t)) {
			const p = product(ctx, ctx.r.weighted([['electronics/audio', 40], ['electronics/consoles', 35], ['electronics/cameras', 25]] as const));
			const order = placeOrder(ctx, c, idn, at, [{ product: p, variant: ctx.r.pick(p.sizes) }, ...(ctx.r.chance(0.3) ? [{ product: product(ctx, 'electronics/cables'), variant: '1m' }] : [])]);
			if (!order) continue;
			if (ctx.r.chance(0.3)) {
				const claimAt = order.deliveredAt.getTime() + days(ctx.r, 1, 8) * DAY;
				if (claimAt <= ctx.end) ctx.claims.push({ id: id(ctx, 'x'), orderId: order.id, customerId: c.id, kind: 'not_received', at: new Date(claimAt), abusive: true });
				continue;
			}
			addReturn(
				ctx,
				order,
				[
					{
						line: order.lines[0],
						reason: ctx.r.weighted([['defective', 50], ['not_as_described', 25], ['wrong_item', 15], ['changed_mind', 10]] as const),
						condition: ctx.r.weighted([['missing', 60], ['wrong_item', 40]] as const) as Condition
					}
				],
				days(ctx.r, 1, 10, 1.3),
				true,
				'empty_box'
			);
		}
		t += days(ctx.r, 10, 60) * DAY;
	}
}

export interface GenerateOptions {
	seed: number;
	customers?: number;
	/** The history ends here (default 2026-06-30). */
	end?: Date;
}

export function generateHistory(options: GenerateOptions): SimHistory {
	const r = createRandom(options.seed);
	const end = (options.end ?? new Date('2026-06-30T00:00:00Z')).getTime();
	const products = catalogue();
	const byCategoryCache = new Map<string, SimProduct[]>();
	const ctx: Ctx = {
		r,
		start: end - HORIZON_DAYS * DAY,
		end,
		products,
		byCategory: (prefix) => {
			let list = byCategoryCache.get(prefix);
			if (!list) byCategoryCache.set(prefix, (list = products.filter((p) => p.category === prefix || p.category.startsWith(prefix + '/'))));
			return list;
		},
		customers: [],
		orders: [],
		returns: [],
		claims: [],
		seq: 0
	};
	const target = options.customers ?? 5_000;
	let households: Identity | null = null;
	while (ctx.customers.length < target) {
		const persona = r.weighted(PERSONAS.map((p) => [p, PERSONA_SHARES[p]] as const));
		if (persona === 'empty_box') {
			emptyBoxRing(ctx);
			continue;
		}
		let idn = newIdentity(ctx);
		if (!isAbusive(persona) && r.chance(0.06)) {
			// Two people at one address: the second shares the first's address, not its card.
			if (households) {
				idn = { ...newIdentity(ctx), addressKey: households.addressKey };
				households = null;
			} else households = idn;
		}
		const c = newCustomer(ctx, persona, idn);
		if (persona === 'honest_regular') {
			if (r.chance(0.03)) {
				// The same person with a second email (guest checkout): same card, same address.
				const times = orderTimes(ctx, r.int(2, 6), [20, 120]);
				const second = newCustomer(ctx, persona, idn);
				const split = Math.ceil(times.length / 2);
				honestRegular(ctx, c, idn, times.slice(0, split));
				honestRegular(ctx, second, idn, times.slice(split));
			} else honestRegular(ctx, c, idn);
		} else if (persona === 'honest_heavy') honestHeavy(ctx, c, idn);
		else if (persona === 'honest_bracketer') honestBracketer(ctx, c, idn);
		else if (persona === 'abusive_bracketer') abusiveBracketer(ctx, c, idn);
		else if (persona === 'wardrober') wardrober(ctx, c, idn);
	}
	ctx.orders.sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime());
	ctx.returns.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());
	ctx.claims.sort((a, b) => a.at.getTime() - b.at.getTime());
	return {
		seed: options.seed,
		start: new Date(ctx.start),
		end: new Date(end),
		windowDays: WINDOW_DAYS,
		products,
		customers: ctx.customers,
		orders: ctx.orders,
		returns: ctx.returns,
		claims: ctx.claims
	};
}

/** Counts that say whether a history looks like the stated rates (printed by the evaluation, checked by tests). */
export function describeHistory(h: SimHistory) {
	const persona = new Map(h.customers.map((c) => [c.id, c.persona]));
	const lines = new Map(h.orders.flatMap((o) => o.lines.map((l) => [l.id, l.unitPrice * l.quantity] as const)));
	const byPersona = Object.fromEntries(
		PERSONAS.map((p) => {
			const orders = h.orders.filter((o) => persona.get(o.customerId) === p);
			const orderedUnits = orders.reduce((s, o) => s + o.lines.length, 0);
			const returns = h.returns.filter((r) => persona.get(r.customerId) === p);
			const returnedUnits = returns.reduce((s, r) => s + r.lines.length, 0);
			return [p, { customers: h.customers.filter((c) => c.persona === p).length, orders: orders.length, returns: returns.length, unitReturnRate: orderedUnits ? returnedUnits / orderedUnits : 0 }];
		})
	) as Record<Persona, { customers: number; orders: number; returns: number; unitReturnRate: number }>;
	const value = (r: SimReturn) => r.lines.reduce((s, l) => s + (lines.get(l.orderLineId) ?? 0), 0);
	const abusiveValue = h.returns.filter((r) => r.abusive).reduce((s, r) => s + value(r), 0);
	const totalValue = h.returns.reduce((s, r) => s + value(r), 0);
	return {
		customers: h.customers.length,
		orders: h.orders.length,
		returns: h.returns.length,
		abusiveReturns: h.returns.filter((r) => r.abusive).length,
		abusiveShareByValue: totalValue ? abusiveValue / totalValue : 0,
		claims: h.claims.length,
		byPersona
	};
}
