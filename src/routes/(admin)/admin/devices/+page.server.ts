import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { listDevices, parseDeviceForm, saveDevice } from '$lib/server/catalogue/devices';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const q = url.searchParams.get('q') ?? '';
	return { q, devices: await listDevices(db(), shop.id, q) };
};

export const actions: Actions = {
	create: async ({ locals, request, url }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const parsed = parseDeviceForm(form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: Object.fromEntries(form) });
		const saved = await saveDevice(db(), shop.id, parsed.value);
		if (!saved.ok) return fail(400, { errors: saved.errors, values: Object.fromEntries(form) });
		redirect(303, `/admin/devices/${saved.device.id}?saved=1`);
	}
};
