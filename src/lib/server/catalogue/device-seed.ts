/** Devices every new shop starts with, for compatibility answers. Shops edit and extend their own copy. */
export interface DeviceSeed {
	brand: string;
	model: string;
	kind: 'phone' | 'tablet' | 'laptop' | 'headphones' | 'console' | 'watch' | 'camera' | 'other';
	aliases: string[];
	ports: string[];
	chargingProtocols: string[];
	maxChargingWatts: number | null;
	releaseYear: number;
}

const d = (
	brand: string,
	model: string,
	kind: DeviceSeed['kind'],
	releaseYear: number,
	ports: string[],
	chargingProtocols: string[],
	maxChargingWatts: number | null,
	aliases: string[] = []
): DeviceSeed => ({ brand, model, kind, releaseYear, ports, chargingProtocols, maxChargingWatts, aliases });

export const DEFAULT_DEVICES: DeviceSeed[] = [
	d('Apple', 'iPhone 11', 'phone', 2019, ['lightning'], ['usb-pd', 'qi'], 18, ['iphone11']),
	d('Apple', 'iPhone 12', 'phone', 2020, ['lightning'], ['usb-pd', 'qi', 'magsafe'], 20, ['iphone12']),
	d('Apple', 'iPhone 13', 'phone', 2021, ['lightning'], ['usb-pd', 'qi', 'magsafe'], 23, ['iphone13']),
	d('Apple', 'iPhone 14', 'phone', 2022, ['lightning'], ['usb-pd', 'qi', 'magsafe'], 20, ['iphone14']),
	d('Apple', 'iPhone 15', 'phone', 2023, ['usb-c'], ['usb-pd', 'qi2', 'magsafe'], 27, ['iphone15']),
	d('Apple', 'iPhone 15 Pro', 'phone', 2023, ['usb-c'], ['usb-pd', 'qi2', 'magsafe'], 27, ['iphone 15pro']),
	d('Apple', 'iPhone 16', 'phone', 2024, ['usb-c'], ['usb-pd', 'qi2', 'magsafe'], 30, ['iphone16']),
	d('Apple', 'iPhone 17', 'phone', 2025, ['usb-c'], ['usb-pd', 'qi2', 'magsafe'], 40, ['iphone17']),
	d('Apple', 'iPad (10th generation)', 'tablet', 2022, ['usb-c'], ['usb-pd'], 20, ['ipad 10']),
	d('Apple', 'iPad (9th generation)', 'tablet', 2021, ['lightning'], ['usb-pd'], 20, ['ipad 9']),
	d('Apple', 'MacBook Air 13" M2', 'laptop', 2022, ['usb-c', 'magsafe'], ['usb-pd'], 70, ['macbook air m2']),
	d('Apple', 'MacBook Pro 14" M3', 'laptop', 2023, ['usb-c', 'magsafe'], ['usb-pd'], 96, ['macbook pro 14']),
	d('Apple', 'AirPods Pro (2nd generation)', 'headphones', 2022, ['lightning'], ['qi', 'magsafe'], 5, ['airpods pro 2']),
	d('Samsung', 'Galaxy S23', 'phone', 2023, ['usb-c'], ['usb-pd', 'pps', 'qi'], 25, ['s23', 'galaxy s23']),
	d('Samsung', 'Galaxy S24 Ultra', 'phone', 2024, ['usb-c'], ['usb-pd', 'pps', 'qi'], 45, ['s24 ultra']),
	d('Samsung', 'Galaxy A54', 'phone', 2023, ['usb-c'], ['usb-pd', 'pps'], 25, ['a54']),
	d('Samsung', 'Galaxy Tab S9', 'tablet', 2023, ['usb-c'], ['usb-pd', 'pps'], 45, ['tab s9']),
	d('Google', 'Pixel 8', 'phone', 2023, ['usb-c'], ['usb-pd', 'pps', 'qi'], 27, ['pixel8']),
	d('Google', 'Pixel 9 Pro', 'phone', 2024, ['usb-c'], ['usb-pd', 'pps', 'qi'], 37, ['pixel 9pro']),
	d('Xiaomi', 'Redmi Note 12', 'phone', 2023, ['usb-c'], ['qc3'], 33, ['redmi note 12']),
	d('Xiaomi', 'Redmi 9A', 'phone', 2020, ['micro-usb'], [], 10, ['redmi 9a']),
	d('OnePlus', 'OnePlus 12', 'phone', 2024, ['usb-c'], ['usb-pd', 'supervooc'], 80, ['oneplus12']),
	d('Fairphone', 'Fairphone 5', 'phone', 2023, ['usb-c'], ['usb-pd', 'qc3'], 30, ['fp5']),
	d('Nintendo', 'Switch', 'console', 2017, ['usb-c'], ['usb-pd'], 18, ['nintendo switch']),
	d('Nintendo', 'Switch 2', 'console', 2025, ['usb-c'], ['usb-pd'], 60, ['switch2']),
	d('Dell', 'XPS 13 (9340)', 'laptop', 2024, ['usb-c'], ['usb-pd'], 60, ['xps 13']),
	d('Lenovo', 'ThinkPad X1 Carbon Gen 11', 'laptop', 2023, ['usb-c'], ['usb-pd'], 65, ['x1 carbon']),
	d('Sony', 'WH-1000XM5', 'headphones', 2022, ['usb-c'], ['usb-pd'], 10, ['xm5']),
	d('Kindle', 'Paperwhite (11th generation)', 'other', 2021, ['usb-c'], [], 9, ['kindle paperwhite']),
	d('Kindle', 'Paperwhite (10th generation)', 'other', 2018, ['micro-usb'], [], 5, ['kindle paperwhite 10'])
];
