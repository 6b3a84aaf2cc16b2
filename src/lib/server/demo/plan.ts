import type { OrderInput } from '../orders/intake';
import { calendarDaysBefore } from '../policy/facts';
import type { RequestedResolution } from '../returns/service';
import { DEMO_PRODUCTS, type DemoKind, type DemoProduct } from './catalogue';
import { generateCustomers, type DemoCustomer } from './people';
import { createRandom, type Random } from './prng';

/**
 * The demo shop's history as data: who ordered what and when, what came back and why, and what became
 * of each return. Pure and seeded, so the shop is the same everywhere, only moved to today's date; the
 * seed writes it through the app's own services.
 */

export const DEMO_SEED = 20_240_611;
/** The demo shop's time zone: its policy counts days on this calendar. */
export const DEMO_TIME_ZONE = 'Europe/Paris';
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const SCENARIOS = [
	'jeans-too-small',
	'cable-incompatible',
	'changed-mind',
	'damaged',
	'withdrawal',
	'outside-window'
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** How many days ago each scenario's order was delivered, in calendar days of the shop's zone (as its policy counts). */
export const SCENARIO_DELIVERY_DAYS: Record<Scenario, number> = {
	'jeans-too-small': 5,
	'cable-incompatible': 6,
	'changed-mind': 8,
	damaged: 3,
	withdrawal: 4,
	'outside-window': 75
};

export interface PlannedLine {
	externalId: string;
	kind: DemoKind;
	product: DemoProduct;
	variantExternalId: string;
	options: Record<string, string>;
	quantity: number;
}

export interface PlannedOrder {
	externalId: string;
	orderNumber: string;
	customer: DemoCustomer;
	orderedAt: Date;
	fulfilledAt: Date | null;
	deliveredAt: Date | null;
	lines: PlannedLine[];
	scenario: Scenario | null;
	input: OrderInput;
}

export type PlannedStep =
	| { kind: 'reception'; to: 'in_transit' | 'received'; at: Date }
	| { kind: 'decision'; to: 'accepted' | 'rejected' | 'cancelled' | 'needs_review'; at: Date; reason?: string }
	| { kind: 'resolve'; lineExternalId: string; to: 'refunded' | 'credited' | 'exchanged'; at: Date };

export interface PlannedReturnLine {
	lineExternalId: string;
	quantity: number;
	reasonCode: string;
	requestedResolution: RequestedResolution;
	comment: string | null;
	/** Structured answers; a device is named by model and resolved to the shop's device row by the seed. */
	answers: ({ question: string } & ({ type: 'text'; value: string } | { type: 'number'; value: number } | { type: 'device'; model: string }))[];
}

export interface PlannedReturn {
	orderExternalId: string;
	requestedAt: Date;
	isWithdrawal: boolean;
	keepItem: boolean;
	lines: PlannedReturnLine[];
	steps: PlannedStep[];
}

export interface DemoPlan {
	customers: DemoCustomer[];
	orders: PlannedOrder[];
	returns: PlannedReturn[];
}

const KIND_WEIGHTS: [DemoKind, number][] = [
	['jeans', 27],
	['tshirt', 28],
	['dress', 10],
	['cable', 17],
	['charger', 14],
	['gift_card', 4]
];

/** Per line: how likely it comes back, and why. */
const RETURN_RATE: Record<DemoKind, number> = { jeans: 0.3, tshirt: 0.08, dress: 0.2, cable: 0.16, charger: 0.1, gift_card: 0 };
const REASONS: Record<Exclude<DemoKind, 'gift_card'>, [string, number][]> = {
	jeans: [['too_small', 45], ['too_large', 35], ['fit_other', 10], ['changed_mind', 5], ['not_as_pictured', 5]],
	tshirt: [['too_small', 22], ['too_large', 25], ['changed_mind', 20], ['not_as_pictured', 15], ['poor_quality', 12], ['arrived_damaged', 6]],
	dress: [['too_large', 30], ['too_small', 22], ['not_as_pictured', 28], ['changed_mind', 20]],
	cable: [['incompatible_device', 60], ['defective', 20], ['changed_mind', 10], ['ordered_by_mistake', 10]],
	charger: [['defective', 30], ['incompatible_device', 25], ['arrived_damaged', 20], ['changed_mind', 25]]
};

const COMMENTS: Record<string, { fr: string[]; en: string[] }> = {
	too_small: {
		fr: ['Trop serré à la taille, je prends d’habitude cette taille-là.', 'Impossible à fermer, il me faut une taille au-dessus.'],
		en: ['Too tight at the waist, I usually wear this size.', 'Could not button it, I need one size up.']
	},
	too_large: { fr: ['Trop large à la taille.', 'Flotte un peu partout.'], en: ['Too loose at the waist.', 'Baggy everywhere.'] },
	incompatible_device: {
		fr: ['Ne rentre pas dans mon téléphone.', 'Le connecteur ne correspond pas à mon appareil.'],
		en: ['Does not fit my phone.', 'The connector does not match my device.']
	},
	defective: { fr: ['Ne charge plus au bout de quelques jours.'], en: ['Stopped charging after a few days.'] },
	arrived_damaged: { fr: ['Le boîtier était fissuré à l’ouverture du colis.'], en: ['The casing was cracked when I opened the parcel.'] },
	not_as_pictured: { fr: ['La couleur est plus terne que sur les photos.'], en: ['The colour is duller than in the pictures.'] }
};

/** Phones that a cable or charger of each kind does not suit: the devices customers name when it does not fit. */
const INCOMPATIBLE_DEVICES: Record<string, string[]> = {
	'lt-cable-usbc-usbc-1m': ['iPhone 13', 'iPhone 12', 'iPhone 14', 'iPad (9th generation)'],
	'lt-cable-usbc-usbc-2m-240w': ['iPhone 11', 'iPhone 13'],
	'lt-cable-usbc-lightning-1m': ['iPhone 15', 'Galaxy S23', 'Pixel 8', 'iPhone 16'],
	'lt-chargeur-usbc-65w': ['Redmi 9A'],
	'lt-chargeur-usbc-20w': ['MacBook Pro 14" M3', 'Galaxy S24 Ultra'],
	'lt-chargeur-sans-fil-15w': ['Redmi Note 12', 'Galaxy A54']
};

const REJECTIONS = ['Article porté et étiquettes retirées à réception.', 'Article retourné incomplet (câble manquant).'];

export function planDemo(now: Date, seed: number = DEMO_SEED): DemoPlan {
	const random = createRandom(seed);
	const customers = generateCustomers(random, 150);
	const drafts: Omit<PlannedOrder, 'orderNumber' | 'externalId' | 'input'>[] = [];

	// Every customer orders once, some come back: about 300 orders over six months.
	const buyers = [...random.shuffle(customers), ...Array.from({ length: 144 }, () => customers[Math.floor(customers.length * random.next() ** 1.8)])];
	for (const customer of buyers) {
		const daysAgo = 180 * random.next() ** 1.1 + 0.2;
		const orderedAt = atDaytime(new Date(now.getTime() - daysAgo * DAY), random);
		if (orderedAt.getTime() > now.getTime() - HOUR) continue;
		const { fulfilledAt, deliveredAt } = shipping(orderedAt, customer, random, now);
		drafts.push({ customer, orderedAt, fulfilledAt, deliveredAt, lines: pickLines(random), scenario: null });
	}

	// Each scenario on its own order of its own customer, with no return.
	const used = new Set<string>();
	const scenarioCustomer = (countries: string[], locale: 'en' | 'fr') => {
		const c = customers.find((c) => !used.has(c.email) && countries.includes(c.address.country) && c.locale === locale)!;
		used.add(c.email);
		return c;
	};
	const scenarioLines: Record<Scenario, () => PlannedLine[]> = {
		'jeans-too-small': () => [line('ml-jean-slim-brut', { Taille: 'W31', Longueur: 'L32' })],
		'cable-incompatible': () => [line('lt-cable-usbc-usbc-1m')],
		'changed-mind': () => [line('ml-tshirt-col-rond', { Couleur: 'Terracotta', Taille: 'M' })],
		damaged: () => [line('lt-chargeur-usbc-65w')],
		withdrawal: () => [line('ml-robe-portefeuille', { Taille: '38' }), line('ml-tshirt-col-rond', { Couleur: 'Blanc', Taille: 'S' })],
		'outside-window': () => [line('ml-jean-droit-delave', { Taille: 'W34', Longueur: 'L34' })]
	};
	const scenarioPeople: Record<Scenario, [string[], 'en' | 'fr']> = {
		'jeans-too-small': [['FR'], 'fr'],
		'cable-incompatible': [['DE', 'NL', 'ES', 'IT'], 'en'],
		'changed-mind': [['BE', 'FR'], 'fr'],
		damaged: [['FR'], 'fr'],
		withdrawal: [['NL', 'DE', 'IT', 'ES'], 'en'],
		'outside-window': [['FR'], 'fr']
	};
	for (const scenario of SCENARIOS) {
		const [countries, locale] = scenarioPeople[scenario];
		const customer = scenarioCustomer(countries, locale);
		const deliveredAt = calendarDaysBefore(now, SCENARIO_DELIVERY_DAYS[scenario], 14, DEMO_TIME_ZONE);
		const orderedAt = new Date(deliveredAt.getTime() - 3 * DAY - 5 * HOUR);
		drafts.push({
			customer,
			orderedAt,
			fulfilledAt: new Date(orderedAt.getTime() + 20 * HOUR),
			deliveredAt,
			lines: scenarioLines[scenario](),
			scenario
		});
	}

	drafts.sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime());
	const orders: PlannedOrder[] = drafts.map((d, i) => {
		const orderNumber = String(10231 + i);
		const externalId = `ml-${orderNumber}`;
		const lines = d.lines.map((l, j) => ({ ...l, externalId: `${externalId}-${j + 1}` }));
		return { ...d, orderNumber, externalId, lines, input: orderInput(d, orderNumber, externalId, lines, random) };
	});

	const returns = orders.flatMap((o) => {
		const r = o.scenario ? null : planReturn(o, random, now);
		return r ? [r] : [];
	});
	return { customers, orders, returns };
}

function atDaytime(day: Date, random: Random): Date {
	const d = new Date(day);
	d.setUTCHours(random.int(6, 21), random.int(0, 59), random.int(0, 59), 0);
	return d;
}

function shipping(orderedAt: Date, customer: DemoCustomer, random: Random, now: Date) {
	const fulfilled = new Date(orderedAt.getTime() + random.int(8, 40) * HOUR);
	const transitDays = customer.address.country === 'FR' ? random.int(1, 2) : random.int(2, 4);
	const delivered = new Date(fulfilled.getTime() + transitDays * DAY + random.int(0, 6) * HOUR);
	return {
		fulfilledAt: fulfilled.getTime() < now.getTime() ? fulfilled : null,
		deliveredAt: delivered.getTime() < now.getTime() ? delivered : null
	};
}

function byId(externalId: string): DemoProduct {
	const p = DEMO_PRODUCTS.find((p) => p.externalId === externalId);
	if (!p) throw new Error(`No demo product "${externalId}"`);
	return p;
}

function line(productExternalId: string, options: Record<string, string> = {}, quantity = 1): PlannedLine {
	const product = byId(productExternalId);
	const variant = product.input.variants.find((v) => Object.entries(options).every(([k, val]) => v.options?.[k] === val));
	if (!variant) throw new Error(`No variant ${JSON.stringify(options)} of "${productExternalId}"`);
	return { externalId: '', kind: product.kind, product, variantExternalId: variant.externalId, options: variant.options ?? {}, quantity };
}

const WAIST_WEIGHTS: [string, number][] = [['W28', 4], ['W29', 6], ['W30', 12], ['W31', 14], ['W32', 18], ['W33', 12], ['W34', 12], ['W36', 8], ['W38', 4]];
const LENGTH_WEIGHTS: [string, number][] = [['L30', 25], ['L32', 50], ['L34', 25]];
const TOP_WEIGHTS: [string, number][] = [['S', 18], ['M', 32], ['L', 28], ['XL', 15], ['XXL', 7]];
const DRESS_WEIGHTS: [string, number][] = [['34', 10], ['36', 22], ['38', 28], ['40', 22], ['42', 12], ['44', 6]];

function pickLines(random: Random): PlannedLine[] {
	const count = random.weighted([[1, 60], [2, 30], [3, 10]] as [number, number][]);
	const lines: PlannedLine[] = [];
	while (lines.length < count) {
		const kind = random.weighted(KIND_WEIGHTS);
		let next: PlannedLine;
		switch (kind) {
			case 'jeans':
				next = line(random.chance(0.55) ? 'ml-jean-slim-brut' : 'ml-jean-droit-delave', {
					Taille: random.weighted(WAIST_WEIGHTS),
					Longueur: random.weighted(LENGTH_WEIGHTS)
				});
				break;
			case 'tshirt':
				next = line(
					'ml-tshirt-col-rond',
					{ Couleur: random.pick(['Blanc', 'Marine', 'Terracotta']), Taille: random.weighted(TOP_WEIGHTS) },
					random.chance(0.15) ? 2 : 1
				);
				break;
			case 'dress':
				next = line('ml-robe-portefeuille', { Taille: random.weighted(DRESS_WEIGHTS) });
				break;
			case 'cable':
				next = line(
					random.weighted([['lt-cable-usbc-usbc-1m', 45], ['lt-cable-usbc-lightning-1m', 35], ['lt-cable-usbc-usbc-2m-240w', 20]] as [string, number][]),
					{},
					random.chance(0.1) ? 2 : 1
				);
				break;
			case 'charger':
				next = line(random.weighted([['lt-chargeur-usbc-65w', 40], ['lt-chargeur-usbc-20w', 35], ['lt-chargeur-sans-fil-15w', 25]] as [string, number][]));
				break;
			default:
				next = line('ml-carte-cadeau-50');
		}
		if (!lines.some((l) => l.variantExternalId === next.variantExternalId)) lines.push(next);
	}
	return lines;
}

function priceOf(l: PlannedLine): number {
	return l.product.input.variants.find((v) => v.externalId === l.variantExternalId)!.price.amount;
}

function orderInput(
	d: Omit<PlannedOrder, 'orderNumber' | 'externalId' | 'input'>,
	orderNumber: string,
	externalId: string,
	lines: PlannedLine[],
	random: Random
): OrderInput {
	// A welcome code on some orders: 10 % off each line, in cents.
	const promo = !d.scenario && random.chance(0.15);
	const totals = lines.map((l) => {
		const gross = priceOf(l) * l.quantity;
		return { gross, discount: promo && l.kind !== 'gift_card' ? Math.round(gross / 10) : 0 };
	});
	const subtotal = totals.reduce((s, t) => s + t.gross - t.discount, 0);
	const c = d.customer;
	return {
		externalId,
		orderNumber,
		currency: 'EUR',
		locale: c.locale,
		taxesIncluded: true,
		customer: { email: c.email, firstName: c.firstName, lastName: c.lastName, locale: c.locale },
		shippingAddress: { ...c.address },
		lines: lines.map((l, i) => ({
			externalId: l.externalId,
			variantExternalId: l.variantExternalId,
			quantity: l.quantity,
			unitPrice: { amount: priceOf(l), currency: 'EUR' },
			discount: totals[i].discount ? { amount: totals[i].discount, currency: 'EUR' } : null,
			vatRate: 20
		})),
		shipping: { amount: { amount: subtotal >= 6000 ? 0 : 490, currency: 'EUR' }, vatRate: 20 },
		payment: { stripePaymentIntentId: `pi_3${random.alphanumeric(23)}` },
		orderedAt: d.orderedAt.toISOString(),
		fulfilledAt: d.fulfilledAt?.toISOString() ?? null,
		deliveredAt: d.deliveredAt?.toISOString() ?? null
	};
}

function planReturn(o: PlannedOrder, random: Random, now: Date): PlannedReturn | null {
	if (!o.deliveredAt) return null;
	const returned = o.lines.filter((l) => random.chance(RETURN_RATE[l.kind]));
	if (returned.length === 0) return null;
	const requestedAt = new Date(o.deliveredAt.getTime() + random.int(1, 12) * DAY + random.int(0, 10) * HOUR);
	if (requestedAt.getTime() > now.getTime() - 2 * HOUR) return null;
	const within14 = requestedAt.getTime() - o.deliveredAt.getTime() < 14 * DAY;
	const isWithdrawal = within14 && random.chance(0.06);
	const locale = o.customer.locale;

	const lines: PlannedReturnLine[] = returned.map((l) => {
		const reasonCode = isWithdrawal ? 'withdrawal' : random.weighted(REASONS[l.kind as Exclude<DemoKind, 'gift_card'>]);
		const fit = reasonCode === 'too_small' || reasonCode === 'too_large';
		const answers: PlannedReturnLine['answers'] = [];
		if (fit) {
			answers.push({ question: 'fit.direction', type: 'text', value: reasonCode });
			answers.push({ question: 'fit.size_delta', type: 'number', value: random.chance(0.8) ? 1 : 2 });
			if (l.options.Taille) answers.push({ question: 'fit.ordered_size', type: 'text', value: l.options.Taille });
		}
		if (reasonCode === 'incompatible_device' && INCOMPATIBLE_DEVICES[l.product.externalId]) {
			answers.push({ question: 'device.model', type: 'device', model: random.pick(INCOMPATIBLE_DEVICES[l.product.externalId]) });
		}
		const comments = COMMENTS[reasonCode];
		return {
			lineExternalId: l.externalId,
			quantity: l.quantity,
			reasonCode,
			requestedResolution: fit && random.chance(0.45) ? 'exchange' : random.chance(0.1) ? 'store_credit' : 'refund',
			comment: comments && random.chance(0.5) ? random.pick(comments[locale]) : null,
			answers
		};
	});

	// A cheap item that arrived broken is refunded without asking for it back.
	const keepItem = lines.every((l) => l.reasonCode === 'arrived_damaged') && returned.every((l) => priceOf(l) * l.quantity < 3000);
	return { orderExternalId: o.externalId, requestedAt, isWithdrawal, keepItem, lines, steps: planSteps(requestedAt, keepItem, lines, random, now) };
}

/** What happened after the request, by its age: old returns are closed, recent ones still open. */
function planSteps(requestedAt: Date, keepItem: boolean, lines: PlannedReturnLine[], random: Random, now: Date): PlannedStep[] {
	const ageDays = (now.getTime() - requestedAt.getTime()) / DAY;
	const steps: PlannedStep[] = [];
	let t = requestedAt.getTime();
	const later = (minHours: number, maxHours: number) => (t += random.int(minHours, maxHours) * HOUR);
	const resolution = (l: PlannedReturnLine): 'refunded' | 'credited' | 'exchanged' =>
		l.requestedResolution === 'exchange' ? 'exchanged' : l.requestedResolution === 'store_credit' ? 'credited' : 'refunded';
	const resolveAll = () => lines.forEach((l) => steps.push({ kind: 'resolve', lineExternalId: l.lineExternalId, to: resolution(l), at: new Date(later(1, 20)) }));

	if (random.chance(0.04)) {
		steps.push({ kind: 'decision', to: 'cancelled', at: new Date(later(2, 30)) });
		return steps;
	}
	if (keepItem) {
		steps.push({ kind: 'decision', to: 'accepted', at: new Date(later(2, 20)) });
		if (ageDays > 3) resolveAll();
		return steps.filter((s) => s.at.getTime() < now.getTime());
	}
	if (ageDays < 2) return steps;
	// Not every carrier reports the parcel on its way: half go straight from awaited to received.
	const tracked = ageDays < 5 || random.chance(0.5);
	if (tracked) steps.push({ kind: 'reception', to: 'in_transit', at: new Date(later(12, 40)) });
	if (ageDays < 5) return steps.filter((s) => s.at.getTime() < now.getTime());
	steps.push({ kind: 'reception', to: 'received', at: new Date(later(tracked ? 40 : 52, tracked ? 90 : 130)) });
	if (ageDays <= 16) {
		const open = random.weighted([['accepted', 5], ['needs_review', 3], ['pending', 2]] as [string, number][]);
		if (open === 'accepted') steps.push({ kind: 'decision', to: 'accepted', at: new Date(later(2, 20)) });
		if (open === 'needs_review') steps.push({ kind: 'decision', to: 'needs_review', at: new Date(later(2, 20)) });
		return steps.filter((s) => s.at.getTime() < now.getTime());
	}
	if (random.chance(0.08)) {
		steps.push({ kind: 'decision', to: 'rejected', at: new Date(later(4, 30)), reason: random.pick(REJECTIONS) });
		return steps;
	}
	steps.push({ kind: 'decision', to: 'accepted', at: new Date(later(2, 24)) });
	resolveAll();
	return steps;
}
