import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

// Browsers ask for /favicon.ico whatever the page links to.
export const GET: RequestHandler = () => redirect(301, '/favicon.svg');
