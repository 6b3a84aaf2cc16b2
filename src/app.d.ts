import type { Shop } from '$lib/server/shops/service';

declare global {
	namespace App {
		interface Locals {
			user: { id: string; email: string; name: string } | null;
			session: { id: string; expiresAt: Date } | null;
			shop: Shop | null;
			role: 'owner' | 'admin' | 'staff' | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
