import * as z from 'zod';
import type { Queryable } from '../db';

export const DEVICE_KINDS = ['phone', 'tablet', 'laptop', 'headphones', 'console', 'watch', 'camera', 'other'] as const;

export interface Device {
	id: string;
	brand: string;
	model: string;
	kind: (typeof DEVICE_KINDS)[number];
	aliases: string[];
	ports: string[];
	chargingProtocols: string[];
	maxChargingWatts: number | null;
	releaseYear: number | null;
}

const list = z
	.string()
	.max(500)
	.transform((s) =>
		[...new Set(s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))]
	)
	.refine((xs) => xs.every((x) => /^[a-z0-9][a-z0-9 .+-]{0,40}$/.test(x)), 'use short names separated by commas, e.g. usb-c, lightning');

const optionalInt = (min: number, max: number) =>
	z
		.string()
		.trim()
		.transform((s) => (s === '' ? null : Number(s)))
		.refine((n) => n === null || (Number.isInteger(n) && n >= min && n <= max), `must be a whole number from ${min} to ${max}`);

/** The device form: free text fields as a person types them, lists separated by commas. */
export const deviceForm = z.object({
	brand: z.string().trim().min(1, 'is required').max(100),
	model: z.string().trim().min(1, 'is required').max(200),
	kind: z.enum(DEVICE_KINDS, { error: 'choose a kind' }),
	aliases: list,
	ports: list,
	chargingProtocols: list,
	maxChargingWatts: optionalInt(1, 500),
	releaseYear: optionalInt(1990, 2100)
});

export type DeviceInput = z.output<typeof deviceForm>;

/** Form errors are codes per field, which the page words in the member's language. */
const ERROR_CODE: Record<string, string> = {
	brand: 'brand',
	model: 'model',
	kind: 'kind',
	aliases: 'list',
	ports: 'list',
	chargingProtocols: 'list',
	maxChargingWatts: 'watts',
	releaseYear: 'year'
};

export type SaveResult = { ok: true; device: Device } | { ok: false; errors: Record<string, string> };

export function parseDeviceForm(form: FormData): { ok: true; value: DeviceInput } | { ok: false; errors: Record<string, string> } {
	const raw = Object.fromEntries(Object.keys(deviceForm.shape).map((k) => [k, String(form.get(k) ?? '')]));
	const parsed = deviceForm.safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	const errors: Record<string, string> = {};
	for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= ERROR_CODE[String(issue.path[0])] ?? 'invalid';
	return { ok: false, errors };
}

export async function listDevices(sql: Queryable, shopId: string, search = ''): Promise<Device[]> {
	const q = `%${search.trim().toLowerCase()}%`;
	const rows = await sql`
		select * from devices where shop_id = ${shopId}
			and (${search.trim() === ''} or lower(brand || ' ' || model) like ${q} or exists (select 1 from unnest(aliases) a where a like ${q}))
		order by brand, release_year desc nulls last, model`;
	return rows.map(toDevice);
}

export async function getDevice(sql: Queryable, shopId: string, id: string): Promise<Device | undefined> {
	if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
	const [row] = await sql`select * from devices where shop_id = ${shopId} and id = ${id}`;
	return row ? toDevice(row) : undefined;
}

/** Creates a device, or updates it when `id` is given. A brand and model already present is an error on `model`. */
export async function saveDevice(sql: Queryable, shopId: string, input: DeviceInput, id?: string): Promise<SaveResult> {
	const values = {
		brand: input.brand,
		model: input.model,
		kind: input.kind,
		aliases: input.aliases,
		ports: input.ports,
		charging_protocols: input.chargingProtocols,
		max_charging_watts: input.maxChargingWatts,
		release_year: input.releaseYear
	};
	try {
		const [row] = id
			? await sql`update devices set ${sql(values)}, updated_at = now() where shop_id = ${shopId} and id = ${id} returning *`
			: await sql`insert into devices ${sql({ ...values, shop_id: shopId })} returning *`;
		if (!row) return { ok: false, errors: { form: 'gone' } };
		return { ok: true, device: toDevice(row) };
	} catch (error) {
		if ((error as { code?: string }).code === '23505') {
			return { ok: false, errors: { model: 'duplicate' } };
		}
		throw error;
	}
}

/** Devices that customers named in a return stay, so the answers keep their meaning. */
export async function deleteDevice(sql: Queryable, shopId: string, id: string): Promise<{ ok: true } | { ok: false; error: 'gone' | 'in_use' }> {
	try {
		const rows = await sql`delete from devices where shop_id = ${shopId} and id = ${id} returning id`;
		return rows.length ? { ok: true } : { ok: false, error: 'gone' };
	} catch (error) {
		if ((error as { code?: string }).code === '23503') {
			return { ok: false, error: 'in_use' };
		}
		throw error;
	}
}

function toDevice(row: Record<string, unknown>): Device {
	return {
		id: row.id as string,
		brand: row.brand as string,
		model: row.model as string,
		kind: row.kind as Device['kind'],
		aliases: row.aliases as string[],
		ports: row.ports as string[],
		chargingProtocols: row.charging_protocols as string[],
		maxChargingWatts: (row.max_charging_watts as number | null) ?? null,
		releaseYear: (row.release_year as number | null) ?? null
	};
}
