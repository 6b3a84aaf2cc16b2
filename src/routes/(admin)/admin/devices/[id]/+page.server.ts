import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { deleteDevice, getDevice, parseDeviceForm, saveDevice } from '$lib/server/catalogue/devices';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const device = await getDevice(db(), shop.id, params.id);
	if (!device) error(404, { message: 'Not found' });
	return { device, saved: url.searchParams.has('saved') };
};

export const actions: Actions = {
	save: async ({ locals, request, url, params }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const parsed = parseDeviceForm(form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: Object.fromEntries(form) });
		const saved = await saveDevice(db(), shop.id, parsed.value, params.id);
		if (!saved.ok) return fail(400, { errors: saved.errors, values: Object.fromEntries(form) });
		redirect(303, `/admin/devices/${params.id}?saved=1`);
	},
	delete: async ({ locals, url, params }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const result = await deleteDevice(db(), shop.id, params.id);
		if (!result.ok) return fail(400, { deleteError: result.error });
		redirect(303, '/admin/devices');
	}
};
