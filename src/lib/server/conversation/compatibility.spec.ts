import { describe, expect, it } from 'vitest';
import { checkCompatibility, compatibleAlternatives, type DeviceFacts, type ProductFacts } from './compatibility';

const device = (brand: string, model: string, ports: string[], chargingProtocols: string[], maxChargingWatts: number | null, kind = 'phone'): DeviceFacts => ({
	brand,
	model,
	kind,
	ports,
	chargingProtocols,
	maxChargingWatts
});
const iphone14 = device('Apple', 'iPhone 14', ['lightning'], ['usb-pd', 'qi', 'magsafe'], 20);
const iphone15 = device('Apple', 'iPhone 15', ['usb-c'], ['usb-pd', 'qi2', 'magsafe'], 27);
const macbook = device('Apple', 'MacBook Pro 14" M3', ['usb-c', 'magsafe'], ['usb-pd'], 96, 'laptop');
const oldPhone = device('Xiaomi', 'Redmi 9', ['micro-usb'], ['qc3'], 18);

const cable = (id: string, a: string, b: string, watts: number, pd = true): ProductFacts => ({
	id,
	category: 'electronics/cables',
	attributes: { connector_a: a, connector_b: b, max_watts: watts, usb_pd: pd }
});
const usbcLightning = cable('lightning', 'usb-c', 'lightning', 27);
const usbc60 = cable('usbc-60', 'usb-c', 'usb-c', 60);
const usbc240 = cable('usbc-240', 'usb-c', 'usb-c', 240);
const charger65: ProductFacts = { category: 'electronics/chargers', attributes: { charging_protocols: ['usb-pd', 'pps'], max_watts: 65, ports: ['usb-c', 'usb-c', 'usb-a'] } };

describe('checkCompatibility', () => {
	it.each([
		['a Lightning cable and an iPhone 14', usbcLightning, iphone14, 'compatible'],
		['a USB-C cable and an iPhone 15', usbc60, iphone15, 'compatible'],
		['a Lightning cable and an iPhone 15', usbcLightning, iphone15, 'incompatible'],
		['a 60 W cable and a 96 W laptop', usbc60, macbook, 'slower'],
		['a 240 W cable and a 96 W laptop', usbc240, macbook, 'compatible'],
		['a cable without USB PD and a USB PD phone', cable('slow', 'usb-c', 'usb-c', 60, false), iphone15, 'slower'],
		['a 65 W USB PD charger and an iPhone 15', charger65, iphone15, 'compatible'],
		['a 65 W charger and a 96 W laptop', charger65, macbook, 'slower'],
		['a USB PD charger and a Quick Charge phone', charger65, oldPhone, 'slower'],
		['a pair of jeans', { category: 'clothing/jeans', attributes: { fit: 'slim' } }, iphone15, 'unknown'],
		['a cable whose connectors are not recorded', { category: 'electronics/cables', attributes: {} }, iphone15, 'unknown']
	] as const)('%s: %s', (_, product, d, verdict) => {
		expect(checkCompatibility(product, d).verdict).toBe(verdict);
	});

	it('says why, in English and French', () => {
		expect(checkCompatibility(usbcLightning, iphone15).sentence).toEqual({
			en: 'It does not fit: it needs a Lightning port, and your Apple iPhone 15 has USB-C.',
			fr: 'Il n’est pas compatible : il faut un port Lightning, et votre Apple iPhone 15 a USB-C.'
		});
		expect(checkCompatibility(usbc60, iphone15).sentence.en).toBe('It fits: its USB-C end fits your Apple iPhone 15; it charges it at full speed (27 W).');
		expect(checkCompatibility(usbc60, macbook).sentence.fr).toBe(
			'Il fonctionne, plus lentement : son embout USB-C va sur votre Apple MacBook Pro 14" M3 ; il charge jusqu’à 60 W, moins que les 96 W que votre appareil accepte.'
		);
	});
});

describe('compatibleAlternatives', () => {
	it('proposes the products of the same kind that fit fully', () => {
		expect(compatibleAlternatives([usbcLightning, usbc60, usbc240, charger65], iphone15, usbcLightning).map((p) => p.id)).toEqual(['usbc-60', 'usbc-240']);
		expect(compatibleAlternatives([usbcLightning, usbc60, usbc240], macbook, usbc60).map((p) => p.id)).toEqual(['usbc-240']);
	});
});
