/**
 * Does this accessory fit the customer's device? Pure: the product's typed attributes and the device's
 * ports, charging protocols and wattage in, a verdict with its reasons and a sentence in English and French
 * out ("This cable fits your iPhone 15 and charges it at full speed"). A verdict can settle a "does not
 * work with my phone" return without one: the customer learns it fits, or is shown the product that does.
 *
 * Attribute vocabulary (as the shop API stores it): cables `connector_a`, `connector_b` (the device end),
 * `max_watts`, `usb_pd`; chargers `ports`, `charging_protocols`, `max_watts`. Anything else is `unknown`:
 * the engine never guesses.
 */

export interface DeviceFacts {
	brand: string;
	model: string;
	kind: string;
	ports: string[];
	chargingProtocols: string[];
	maxChargingWatts: number | null;
}

export type Attributes = Record<string, string | number | boolean | string[] | null | undefined>;

export interface ProductFacts {
	id?: string;
	title?: string;
	category: string | null;
	attributes: Attributes;
}

export type Verdict = 'compatible' | 'slower' | 'incompatible' | 'unknown';

export type CompatibilityReason =
	| { code: 'connector_fits'; connector: string }
	| { code: 'connector_missing'; connector: string; devicePorts: string[] }
	| { code: 'full_speed'; watts: number }
	| { code: 'capped_watts'; productWatts: number; deviceWatts: number }
	| { code: 'no_fast_protocol'; productProtocols: string[]; deviceProtocols: string[] }
	| { code: 'not_an_accessory' };

export interface Compatibility {
	verdict: Verdict;
	reasons: CompatibilityReason[];
	sentence: { en: string; fr: string };
}

const list = (v: Attributes[string]): string[] =>
	Array.isArray(v) ? v.map((x) => String(x).toLowerCase()) : typeof v === 'string' ? [v.toLowerCase()] : [];
const num = (v: Attributes[string]): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const PORT_NAMES: Record<string, string> = { 'usb-c': 'USB-C', 'usb-a': 'USB-A', lightning: 'Lightning', 'micro-usb': 'micro-USB', magsafe: 'MagSafe' };
const PROTOCOL_NAMES: Record<string, string> = { 'usb-pd': 'USB Power Delivery', pps: 'PPS', qc3: 'Quick Charge 3', qi: 'Qi', qi2: 'Qi2', magsafe: 'MagSafe' };
const port = (p: string) => PORT_NAMES[p] ?? p;
const protocol = (p: string) => PROTOCOL_NAMES[p] ?? p;

function kindOf(product: ProductFacts): 'cable' | 'charger' | null {
	const a = product.attributes;
	if (a.connector_a !== undefined || a.connector_b !== undefined || product.category?.startsWith('electronics/cables')) return 'cable';
	if (a.charging_protocols !== undefined || product.category?.startsWith('electronics/chargers')) return 'charger';
	return null;
}

export function checkCompatibility(product: ProductFacts, device: DeviceFacts): Compatibility {
	const kind = kindOf(product);
	const reasons: CompatibilityReason[] = [];
	const name = `${device.brand} ${device.model}`;
	const devicePorts = device.ports.map((p) => p.toLowerCase());
	const deviceProtocols = device.chargingProtocols.map((p) => p.toLowerCase());
	const watts = num(product.attributes.max_watts);

	if (kind === null) return done('unknown', [{ code: 'not_an_accessory' }], name);

	if (kind === 'cable') {
		// connector_b is the device end; connector_a goes to the charger or the computer.
		const deviceEnd = list(product.attributes.connector_b)[0] ?? list(product.attributes.connector_a)[0];
		if (!deviceEnd || !devicePorts.length) return done('unknown', [], name);
		if (!devicePorts.includes(deviceEnd)) return done('incompatible', [{ code: 'connector_missing', connector: deviceEnd, devicePorts }], name);
		reasons.push({ code: 'connector_fits', connector: deviceEnd });
		// The cable carries the device's fast charge only with USB PD, up to its own wattage.
		const pdDevice = deviceProtocols.includes('usb-pd');
		if (pdDevice && product.attributes.usb_pd === false) {
			reasons.push({ code: 'no_fast_protocol', productProtocols: [], deviceProtocols });
			return done('slower', reasons, name);
		}
		return byWattage(watts, device, reasons, name);
	}

	// A charger: any USB device charges from it; how fast depends on a shared protocol and the wattage.
	const protocols = list(product.attributes.charging_protocols);
	const chargerPorts = list(product.attributes.ports);
	if (!deviceProtocols.length && device.maxChargingWatts === null) return done('unknown', [], name);
	if (chargerPorts.length && devicePorts.length && !devicePorts.some((p) => chargerPorts.includes(p) || p === 'lightning' || p === 'micro-usb')) {
		return done('incompatible', [{ code: 'connector_missing', connector: chargerPorts[0], devicePorts }], name);
	}
	if (deviceProtocols.length && !protocols.some((p) => deviceProtocols.includes(p))) {
		reasons.push({ code: 'no_fast_protocol', productProtocols: protocols, deviceProtocols });
		return done('slower', reasons, name);
	}
	return byWattage(watts, device, reasons, name);
}

/** The last word for a cable or charger that fits and shares a fast protocol: slower when it delivers less than the device takes. */
function byWattage(watts: number | null, device: DeviceFacts, reasons: CompatibilityReason[], name: string): Compatibility {
	if (watts !== null && device.maxChargingWatts !== null && watts < device.maxChargingWatts) {
		return done('slower', [...reasons, { code: 'capped_watts', productWatts: watts, deviceWatts: device.maxChargingWatts }], name);
	}
	return done('compatible', device.maxChargingWatts !== null ? [...reasons, { code: 'full_speed', watts: device.maxChargingWatts }] : reasons, name);
}

function done(verdict: Verdict, reasons: CompatibilityReason[], device: string): Compatibility {
	return { verdict, reasons, sentence: { en: sentence('en', verdict, reasons, device), fr: sentence('fr', verdict, reasons, device) } };
}

function sentence(locale: 'en' | 'fr', verdict: Verdict, reasons: CompatibilityReason[], device: string): string {
	const en = locale === 'en';
	const parts = reasons.map((r): string => {
		switch (r.code) {
			case 'connector_fits':
				return en ? `its ${port(r.connector)} end fits your ${device}` : `son embout ${port(r.connector)} va sur votre ${device}`;
			case 'connector_missing':
				return en
					? `it needs a ${port(r.connector)} port, and your ${device} has ${r.devicePorts.map(port).join(' and ') || 'no such port'}`
					: `il faut un port ${port(r.connector)}, et votre ${device} a ${r.devicePorts.map(port).join(' et ') || 'un autre port'}`;
			case 'full_speed':
				return en ? `it charges it at full speed (${r.watts} W)` : `il le charge à pleine vitesse (${r.watts} W)`;
			case 'capped_watts':
				return en
					? `it charges at up to ${r.productWatts} W, less than the ${r.deviceWatts} W your device can take`
					: `il charge jusqu’à ${r.productWatts} W, moins que les ${r.deviceWatts} W que votre appareil accepte`;
			case 'no_fast_protocol':
				return en
					? `your device fast-charges with ${r.deviceProtocols.map(protocol).join(' or ')}, which this one ${r.productProtocols.length ? `does not offer (${r.productProtocols.map(protocol).join(', ')})` : 'does not carry'}`
					: `votre appareil charge vite en ${r.deviceProtocols.map(protocol).join(' ou ')}, que celui-ci ${r.productProtocols.length ? `ne propose pas (${r.productProtocols.map(protocol).join(', ')})` : 'ne transmet pas'}`;
			case 'not_an_accessory':
				return en ? 'this item is not a cable or a charger' : 'cet article n’est ni un câble ni un chargeur';
		}
	});
	const head = {
		compatible: en ? 'It fits' : 'Il est compatible',
		slower: en ? 'It works, more slowly' : 'Il fonctionne, plus lentement',
		incompatible: en ? 'It does not fit' : 'Il n’est pas compatible',
		unknown: en ? 'We cannot tell from the product’s details' : 'Les caractéristiques du produit ne permettent pas de le dire'
	}[verdict];
	return parts.length ? `${head}${en ? ': ' : ' : '}${parts.join(en ? '; ' : ' ; ')}.` : `${head}.`;
}

/** Products of the same kind that fit the device fully, best first (compatible before slower). */
export function compatibleAlternatives<P extends ProductFacts>(products: P[], device: DeviceFacts, like: ProductFacts): P[] {
	const kind = kindOf(like);
	return products
		.filter((p) => kindOf(p) === kind)
		.map((p) => ({ p, c: checkCompatibility(p, device) }))
		.filter((x) => x.c.verdict === 'compatible')
		.map((x) => x.p);
}
