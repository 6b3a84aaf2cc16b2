// Synthetic past returns and two return policies for the policy simulation benchmark (scripts/bench.js).
// Deterministic: the same seed gives the same returns. Shapes: PastReturn in src/lib/server/policy/simulate.ts.

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Country, currency, weight: mostly EU, some UK, Swiss, US and Canadian orders.
const MARKETS = [
	['FR', 'EUR', 30],
	['DE', 'EUR', 20],
	['ES', 'EUR', 8],
	['IT', 'EUR', 8],
	['NL', 'EUR', 6],
	['BE', 'EUR', 4],
	['GB', 'GBP', 8],
	['CH', 'CHF', 4],
	['US', 'USD', 9],
	['CA', 'CAD', 3]
];
// Category, unit price range (minor units), tags.
const CATALOGUE = [
	['clothing/jeans', 4900, 12900, ['denim']],
	['clothing/shirts', 1990, 6900, []],
	['clothing/dresses', 3900, 15900, ['occasion']],
	['shoes/sneakers', 5900, 17900, []],
	['electronics/headphones', 2990, 34900, ['fragile']],
	['electronics/cables', 990, 2990, []],
	['beauty/skincare', 1290, 5900, ['hygiene']],
	['home/kitchen', 1490, 24900, []]
];
const REASONS = ['too_small', 'too_large', 'changed_mind', 'damaged', 'not_as_described', 'wrong_item', 'arrived_late', null];
const CONDITIONS = ['unopened', 'opened', 'used', 'damaged', null];
// What customers took then, weighted.
const TAKEN = [
	['refund', 55],
	['store_credit', 15],
	['exchange_variant', 25],
	['exchange_product', 4],
	['fix', 1]
];

function weighted(rand, table, weightIndex) {
	const total = table.reduce((s, row) => s + row[weightIndex], 0);
	let x = rand() * total;
	for (const row of table) {
		x -= row[weightIndex];
		if (x < 0) return row;
	}
	return table[table.length - 1];
}

/** `count` past returns of 1–3 lines each. */
export function pastReturns(count, seed = 20240601) {
	const rand = prng(seed);
	const int = (min, max) => min + Math.floor(rand() * (max - min + 1));
	const pick = (xs) => xs[Math.floor(rand() * xs.length)];
	const returns = new Array(count);
	for (let r = 0; r < count; r++) {
		const [country, currency] = weighted(rand, MARKETS, 2);
		// 2 % not delivered yet when the return was announced; most returns come in the first weeks, a tail up to 120 days.
		const daysSinceDelivery = rand() < 0.02 ? null : Math.floor(121 * rand() ** 4);
		const daysSinceOrder = (daysSinceDelivery ?? 0) + int(1, 6);
		const customerReturnCount = Math.floor(rand() * rand() * 12);
		const customerReturnRateBasisPoints = Math.min(10_000, customerReturnCount * int(300, 1200));
		const riskScore = rand() < 0.3 ? null : Math.floor(rand() * rand() * 100);
		const lineCount = int(1, 3);
		const products = Array.from({ length: lineCount }, () => {
			const [category, min, max, tags] = pick(CATALOGUE);
			const unitPrice = Math.round(int(min, max) / 100) * 100 - 10;
			const orderedQuantity = rand() < 0.8 ? 1 : int(2, 3);
			const discounted = rand() < 0.25;
			const paidAmount = unitPrice * orderedQuantity - (discounted ? Math.floor((unitPrice * orderedQuantity) / 5) : 0);
			return { category, tags, unitPrice, orderedQuantity, discounted, paidAmount };
		});
		const orderValue = products.reduce((s, p) => s + p.paidAmount, 0);
		const isWithdrawal = country !== 'GB' && country !== 'CH' && country !== 'US' && country !== 'CA' && daysSinceDelivery !== null && daysSinceDelivery <= 14 && rand() < 0.2;
		returns[r] = {
			returnId: `ret_${r.toString(36).padStart(6, '0')}`,
			rma: `R-${String(100000 + r)}`,
			currency,
			takenResolution: weighted(rand, TAKEN, 1)[0],
			outboundShipping: pick([0, 495, 495, 695]),
			lines: products.map((p, i) => {
				const alreadyReturned = p.orderedQuantity > 1 && rand() < 0.2 ? 1 : 0;
				const quantity = int(1, p.orderedQuantity - alreadyReturned);
				return {
					facts: {
						daysSinceDelivery,
						daysSinceOrder,
						category: p.category,
						tags: p.tags,
						sku: `${p.category.split('/')[1].toUpperCase()}-${int(1, 400)}`,
						unitPrice: p.unitPrice,
						finalSale: rand() < 0.03,
						discounted: p.discounted,
						reason: pick(REASONS),
						itemCondition: pick(CONDITIONS),
						country,
						customerReturnCount,
						customerReturnRateBasisPoints,
						orderValue,
						riskScore,
						quantityRequested: quantity,
						quantityLeft: p.orderedQuantity - alreadyReturned,
						isWithdrawal,
						wholeOrder: lineCount === 1 && quantity === p.orderedQuantity
					},
					quote: { orderLineId: `ol_${r}_${i}`, quantity, orderedQuantity: p.orderedQuantity, alreadyReturned, paidAmount: p.paidAmount }
				};
			})
		};
	}
	return returns;
}

const defaults = {
	eligibility: 'eligible',
	windowDays: 30,
	resolutions: ['exchange_variant', 'exchange_product', 'store_credit', 'refund'],
	restockingFeeBasisPoints: 0,
	returnShippingFee: 495,
	waiveFeesForExchange: true,
	bonusCreditBasisPoints: 1000,
	keepItemBelow: 0,
	photosRequired: false,
	refundTiming: 'after_inspection'
};

/** The shop's published policy: 30 days, free returns for faults, hygiene items only unopened, risky customers reviewed. */
export const activePolicy = {
	defaults,
	rules: [
		{ id: 'faulty', name: 'Faulty or wrong items ship back free', when: { reasons: ['damaged', 'not_as_described', 'wrong_item'] }, then: { returnShippingFee: 0, photosRequired: true } },
		{ id: 'hygiene', name: 'Skincare only unopened', when: { categories: ['beauty'], itemConditions: ['opened', 'used'] }, then: { eligibility: 'not_eligible' } },
		{ id: 'electronics', name: 'Electronics: 14 days, repair first', when: { categories: ['electronics'] }, then: { windowDays: 14, resolutions: ['fix', 'exchange_variant', 'refund'] } },
		{ id: 'risky', name: 'Risky returns are reviewed', when: { riskScore: { min: 80 } }, then: { eligibility: 'needs_review' } }
	]
};

/** The draft: 21 days, a restocking fee on opened electronics, credit or exchange only for serial returners, more bonus credit. */
export const draftPolicy = {
	defaults: { ...defaults, windowDays: 21, bonusCreditBasisPoints: 1500 },
	rules: [
		{ id: 'faulty', name: 'Faulty or wrong items ship back free', when: { reasons: ['damaged', 'not_as_described', 'wrong_item'] }, then: { returnShippingFee: 0, photosRequired: true } },
		{ id: 'hygiene', name: 'Skincare only unopened', when: { categories: ['beauty'], itemConditions: ['opened', 'used'] }, then: { eligibility: 'not_eligible' } },
		{ id: 'opened-electronics', name: 'Opened electronics: 15 % restocking', when: { categories: ['electronics'], itemConditions: ['opened', 'used'] }, then: { restockingFeeBasisPoints: 1500 } },
		{ id: 'electronics', name: 'Electronics: 14 days, repair first', when: { categories: ['electronics'] }, then: { windowDays: 14, resolutions: ['fix', 'exchange_variant', 'refund'] } },
		{ id: 'serial', name: 'Serial returners: credit or exchange', when: { customerReturnRateBasisPoints: { min: 4000 } }, then: { resolutions: ['exchange_variant', 'store_credit'] } },
		{ id: 'expensive', name: 'Expensive items are reviewed', when: { unitPrice: { min: 20000 } }, then: { eligibility: 'needs_review' } },
		{ id: 'risky', name: 'Risky returns are reviewed', when: { riskScore: { min: 70 } }, then: { eligibility: 'needs_review' } }
	]
};
