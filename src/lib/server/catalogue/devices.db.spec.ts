import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { DEFAULT_DEVICES } from './device-seed';
import { deleteDevice, listDevices, parseDeviceForm, saveDevice } from './devices';

let t: TestDatabase;
let shopId: string;
beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql)).id;
});
afterAll(() => t.close());

function form(values: Record<string, string>) {
	const f = new FormData();
	for (const [k, v] of Object.entries({ brand: '', model: '', kind: 'phone', aliases: '', ports: '', chargingProtocols: '', maxChargingWatts: '', releaseYear: '', ...values })) f.set(k, v);
	return f;
}

describe('devices', () => {
	it('are seeded for every new shop and searchable by alias', async () => {
		expect((await listDevices(t.sql, shopId)).length).toBe(DEFAULT_DEVICES.length);
		const found = await listDevices(t.sql, shopId, 'iphone15');
		expect(found.map((d) => d.model)).toEqual(['iPhone 15']);
		expect(found[0]).toMatchObject({ ports: ['usb-c'], maxChargingWatts: 27 });
	});

	it('parse the form with clear errors per field', () => {
		const bad = parseDeviceForm(form({ brand: '', model: 'X', kind: 'toaster', maxChargingWatts: '12.5', ports: 'usb-c, Light/ning' }));
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors).toEqual({ brand: 'brand', kind: 'kind', maxChargingWatts: 'watts', ports: 'list' });
		const good = parseDeviceForm(form({ brand: 'Nothing', model: 'Phone (2)', ports: 'USB-C, usb-c', chargingProtocols: 'usb-pd, qi', maxChargingWatts: '45', releaseYear: '2023' }));
		expect(good).toEqual({
			ok: true,
			value: { brand: 'Nothing', model: 'Phone (2)', kind: 'phone', aliases: [], ports: ['usb-c'], chargingProtocols: ['usb-pd', 'qi'], maxChargingWatts: 45, releaseYear: 2023 }
		});
	});

	it('are created, edited, refused as duplicates and deleted', async () => {
		const input = parseDeviceForm(form({ brand: 'Nothing', model: 'Phone (2)', ports: 'usb-c', maxChargingWatts: '45' }));
		if (!input.ok) throw new Error('form');
		const created = await saveDevice(t.sql, shopId, input.value);
		expect(created.ok).toBe(true);
		const dup = await saveDevice(t.sql, shopId, input.value);
		expect(dup).toEqual({ ok: false, errors: { model: 'duplicate' } });
		if (!created.ok) return;
		const edited = await saveDevice(t.sql, shopId, { ...input.value, maxChargingWatts: 33 }, created.device.id);
		expect(edited.ok && edited.device.maxChargingWatts).toBe(33);
		expect(await deleteDevice(t.sql, shopId, created.device.id)).toEqual({ ok: true });
		expect(await deleteDevice(t.sql, shopId, created.device.id)).toEqual({ ok: false, error: 'gone' });
	});

	it('belong to one shop only', async () => {
		const other = await createTestShop(t.sql, 'other-devices');
		const [device] = await listDevices(t.sql, shopId);
		expect(await deleteDevice(t.sql, other.id, device.id)).toMatchObject({ ok: false });
	});
});
