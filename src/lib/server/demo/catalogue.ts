import type { ProductInput } from '../catalogue/products';

/**
 * Maison Lumen's catalogue: clothing with jeans in waist × length sizes and a size chart, electronics
 * whose compatibility is recorded as typed attributes. Prices in euro cents, 20 % VAT included.
 */

export type DemoKind = 'jeans' | 'tshirt' | 'dress' | 'cable' | 'charger' | 'gift_card';

export interface DemoProduct {
	externalId: string;
	kind: DemoKind;
	input: ProductInput;
}

const eur = (amount: number) => ({ amount, currency: 'EUR' });

const WAISTS = ['W28', 'W29', 'W30', 'W31', 'W32', 'W33', 'W34', 'W36', 'W38'] as const;
const LENGTHS = ['L30', 'L32', 'L34'] as const;
/** Body measurements in cm, the way the chart on a jeans page reads. */
const WAIST_CM: Record<(typeof WAISTS)[number], [number, number]> = {
	W28: [71, 73],
	W29: [74, 75],
	W30: [76, 78],
	W31: [79, 80],
	W32: [81, 83],
	W33: [84, 85],
	W34: [86, 88],
	W36: [91, 93],
	W38: [96, 98]
};
const INSEAM_CM: Record<(typeof LENGTHS)[number], [number, number]> = { L30: [75, 77], L32: [80, 82], L34: [85, 87] };

const jeansChart = {
	code: 'jeans',
	name: 'Jeans — tour de taille et entrejambe',
	unit: 'cm' as const,
	sizes: [
		...WAISTS.map((w) => ({ size: w, measurements: { waist: WAIST_CM[w] } })),
		...LENGTHS.map((l) => ({ size: l, measurements: { inseam: INSEAM_CM[l] } }))
	]
};

function jeans(
	externalId: string,
	sku: string,
	title: string,
	price: number,
	fit: 'slim' | 'regular',
	fitNotes: string | null,
	image: string,
	description: string
): DemoProduct {
	return {
		externalId,
		kind: 'jeans',
		input: {
			title,
			description,
			vendor: 'Maison Lumen',
			category: 'clothing/jeans',
			tags: ['jeans', 'denim', fit],
			options: ['Taille', 'Longueur'],
			attributes: { fit, ...(fitNotes ? { fit_notes: fitNotes } : {}), material: '98 % coton biologique, 2 % élasthanne', rise: 'mid' },
			sizeChart: jeansChart,
			images: [{ url: image, alt: title }],
			variants: WAISTS.flatMap((w) =>
				LENGTHS.map((l) => ({
					externalId: `${externalId}-${w}-${l}`.toLowerCase(),
					sku: `${sku}-${w}-${l}`,
					price: eur(price),
					options: { Taille: w, Longueur: l },
					inventoryQuantity: 12,
					weightGrams: 650
				}))
			)
		}
	};
}

const TOP_SIZES = ['S', 'M', 'L', 'XL', 'XXL'] as const;
const CHEST_CM: Record<(typeof TOP_SIZES)[number], [number, number]> = {
	S: [86, 91],
	M: [92, 97],
	L: [98, 103],
	XL: [104, 109],
	XXL: [110, 116]
};
const TSHIRT_COLOURS = [
	{ name: 'Blanc', code: 'blanc', image: '/demo/tshirt-blanc.svg' },
	{ name: 'Marine', code: 'marine', image: '/demo/tshirt-marine.svg' },
	{ name: 'Terracotta', code: 'terracotta', image: '/demo/tshirt-terracotta.svg' }
] as const;

const tshirt: DemoProduct = {
	externalId: 'ml-tshirt-col-rond',
	kind: 'tshirt',
	input: {
		title: 'T-shirt col rond en coton bio',
		description: 'Jersey de coton biologique 180 g/m², coupe droite, fabriqué au Portugal.',
		vendor: 'Maison Lumen',
		category: 'clothing/tops',
		tags: ['t-shirt', 'coton bio'],
		options: ['Couleur', 'Taille'],
		attributes: { fit: 'regular', material: '100 % coton biologique' },
		sizeChart: {
			code: 'tops',
			name: 'Hauts — tour de poitrine',
			unit: 'cm',
			sizes: TOP_SIZES.map((s) => ({ size: s, measurements: { chest: CHEST_CM[s] } }))
		},
		// One picture per colour, attached to every size of that colour.
		images: TSHIRT_COLOURS.flatMap((c) =>
			TOP_SIZES.map((s) => ({
				url: c.image,
				alt: `T-shirt col rond, ${c.name.toLowerCase()}`,
				variantExternalId: `ml-tshirt-${c.code}-${s.toLowerCase()}`
			}))
		),
		variants: TSHIRT_COLOURS.flatMap((c) =>
			TOP_SIZES.map((s) => ({
				externalId: `ml-tshirt-${c.code}-${s.toLowerCase()}`,
				sku: `TSH-${c.code.slice(0, 3).toUpperCase()}-${s}`,
				price: eur(2990),
				options: { Couleur: c.name, Taille: s },
				inventoryQuantity: 30,
				weightGrams: 190
			}))
		)
	}
};

const DRESS_SIZES = ['34', '36', '38', '40', '42', '44'] as const;
const dress: DemoProduct = {
	externalId: 'ml-robe-portefeuille',
	kind: 'dress',
	input: {
		title: 'Robe midi portefeuille',
		description: 'Robe portefeuille mi-longue en viscose fluide, ceinture à nouer.',
		vendor: 'Maison Lumen',
		category: 'clothing/dresses',
		tags: ['robe'],
		options: ['Taille'],
		attributes: { fit: 'regular', fit_notes: 'wrap cut: adjustable at the waist', material: '100 % viscose' },
		sizeChart: {
			code: 'dresses',
			name: 'Robes — tailles françaises',
			unit: 'cm',
			sizes: DRESS_SIZES.map((s, i) => ({
				size: s,
				measurements: { bust: [80 + i * 4, 83 + i * 4], waist: [62 + i * 4, 65 + i * 4], hips: [88 + i * 4, 91 + i * 4] }
			}))
		},
		images: [{ url: '/demo/robe-portefeuille.svg', alt: 'Robe midi portefeuille vert sauge' }],
		variants: DRESS_SIZES.map((s) => ({
			externalId: `ml-robe-portefeuille-${s}`,
			sku: `ROB-SAU-${s}`,
			price: eur(11900),
			options: { Taille: s },
			inventoryQuantity: 8,
			weightGrams: 320
		}))
	}
};

function single(
	externalId: string,
	kind: DemoKind,
	sku: string,
	title: string,
	price: number,
	category: string,
	attributes: Record<string, string | number | boolean | string[]>,
	image: string,
	description: string,
	extra: Partial<ProductInput> = {}
): DemoProduct {
	return {
		externalId,
		kind,
		input: {
			title,
			description,
			vendor: 'Lumen Tech',
			category,
			attributes,
			images: [{ url: image, alt: title }],
			variants: [{ externalId: `${externalId}-default`, sku, price: eur(price), inventoryQuantity: 80, weightGrams: 80 }],
			...extra
		}
	};
}

export const DEMO_PRODUCTS: DemoProduct[] = [
	jeans(
		'ml-jean-slim-brut',
		'JSL',
		'Jean slim brut',
		8990,
		'slim',
		'runs small: take one size up',
		'/demo/jean-slim-brut.svg',
		'Denim brut 12 oz en coton biologique, coupe slim, taille mi-haute.'
	),
	jeans(
		'ml-jean-droit-delave',
		'JDR',
		'Jean droit délavé',
		7990,
		'regular',
		null,
		'/demo/jean-droit-delave.svg',
		'Jean coupe droite classique, délavage clair, coton biologique.'
	),
	tshirt,
	dress,
	single(
		'lt-cable-usbc-usbc-1m',
		'cable',
		'CAB-CC-1M',
		'Câble USB-C vers USB-C 1 m (60 W)',
		1490,
		'electronics/cables',
		{ connector_a: 'usb-c', connector_b: 'usb-c', max_watts: 60, usb_pd: true, length_cm: 100, data_speed: 'usb-2.0' },
		'/demo/cable-usbc.svg',
		'Câble USB-C tressé, charge rapide USB Power Delivery jusqu’à 60 W.'
	),
	single(
		'lt-cable-usbc-usbc-2m-240w',
		'cable',
		'CAB-CC-2M-240',
		'Câble USB-C vers USB-C 2 m (240 W)',
		2490,
		'electronics/cables',
		{ connector_a: 'usb-c', connector_b: 'usb-c', max_watts: 240, usb_pd: true, length_cm: 200, braided: true, data_speed: 'usb-2.0' },
		'/demo/cable-usbc-240w.svg',
		'Câble USB-C 2 m compatible USB PD 3.1 EPR jusqu’à 240 W, pour ordinateurs portables.'
	),
	single(
		'lt-cable-usbc-lightning-1m',
		'cable',
		'CAB-CL-1M',
		'Câble USB-C vers Lightning 1 m',
		1990,
		'electronics/cables',
		{ connector_a: 'usb-c', connector_b: 'lightning', max_watts: 27, usb_pd: true, length_cm: 100, mfi_certified: true },
		'/demo/cable-lightning.svg',
		'Câble certifié MFi pour iPhone et iPad à connecteur Lightning, charge rapide jusqu’à 27 W.'
	),
	single(
		'lt-chargeur-usbc-65w',
		'charger',
		'CHG-65W',
		'Chargeur USB-C 65 W GaN',
		4490,
		'electronics/chargers',
		{ charging_protocols: ['usb-pd', 'pps'], max_watts: 65, ports: ['usb-c', 'usb-c', 'usb-a'], plug: 'EU' },
		'/demo/chargeur-65w.svg',
		'Chargeur compact GaN à trois ports, USB Power Delivery et PPS, jusqu’à 65 W.'
	),
	single(
		'lt-chargeur-usbc-20w',
		'charger',
		'CHG-20W',
		'Chargeur USB-C 20 W',
		1990,
		'electronics/chargers',
		{ charging_protocols: ['usb-pd'], max_watts: 20, ports: ['usb-c'], plug: 'EU' },
		'/demo/chargeur-20w.svg',
		'Chargeur secteur USB-C Power Delivery 20 W pour smartphones.'
	),
	single(
		'lt-chargeur-sans-fil-15w',
		'charger',
		'CHG-QI-15W',
		'Chargeur sans fil Qi 15 W',
		2990,
		'electronics/chargers',
		{ charging_protocols: ['qi'], max_watts: 15, input_connector: 'usb-c' },
		'/demo/chargeur-sans-fil.svg',
		'Pad de charge sans fil Qi jusqu’à 15 W, câble USB-C fourni (adaptateur secteur non inclus).'
	),
	single(
		'ml-carte-cadeau-50',
		'gift_card',
		'GIFT-50',
		'Carte cadeau 50 €',
		5000,
		'gift-cards',
		{ delivery: 'email' },
		'/demo/carte-cadeau.svg',
		'Carte cadeau valable un an sur toute la boutique.',
		{ finalSale: true, vendor: 'Maison Lumen' }
	)
];

export function productsOfKind(kind: DemoKind): DemoProduct[] {
	return DEMO_PRODUCTS.filter((p) => p.kind === kind);
}
