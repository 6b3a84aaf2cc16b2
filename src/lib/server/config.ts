import path from 'node:path';

/** Every setting Retour reads, from the environment (see README "Configuration"). */
export interface Config {
	port: number;
	origin: string | undefined;
	dataDir: string;
	databaseUrl: string | undefined;
	returnLinkSecret: string | undefined;
	smtpUrl: string | undefined;
	logLevel: string;
	seedDemo: boolean;
	/** Stripe: refunds and exchange payments. Unset, refunds wait for staff to pay them another way. */
	stripe: { secretKey: string; apiBase: string | undefined; webhookSecret: string | undefined } | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	const returnLinkSecret = env.RETURN_LINK_SECRET?.trim() || undefined;
	if (databaseUrl && !returnLinkSecret) {
		throw new Error(
			'RETURN_LINK_SECRET is required when DATABASE_URL is set, so that every instance signs return links alike (e.g. `openssl rand -hex 32`).'
		);
	}
	if (returnLinkSecret && returnLinkSecret.length < 32) {
		throw new Error('RETURN_LINK_SECRET must be at least 32 characters long.');
	}
	const port = Number(env.PORT ?? 3000);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}".`);
	}
	const stripeApiBase = env.STRIPE_API_BASE?.trim() || undefined;
	if (stripeApiBase && !/^https?:\/\/[^/]+/.test(stripeApiBase)) {
		throw new Error(`STRIPE_API_BASE must be a URL like https://api.stripe.com, got "${stripeApiBase}".`);
	}
	const stripeKey = env.STRIPE_SECRET_KEY?.trim() || undefined;
	if (stripeKey && !/^(sk|rk)_(test|live)_/.test(stripeKey)) {
		throw new Error('STRIPE_SECRET_KEY must be a Stripe secret or restricted key ("sk_live_…", "sk_test_…", "rk_…").');
	}
	return {
		port,
		origin: env.ORIGIN?.trim() || undefined,
		dataDir: path.resolve(env.DATA_DIR?.trim() || '.data'),
		databaseUrl,
		returnLinkSecret,
		smtpUrl: env.SMTP_URL?.trim() || undefined,
		logLevel: env.LOG_LEVEL?.trim() || (env.NODE_ENV === 'test' ? 'warn' : 'info'),
		seedDemo: (env.SEED_DEMO ?? (databaseUrl ? 'false' : 'true')) !== 'false',
		stripe: stripeKey
			? { secretKey: stripeKey, apiBase: stripeApiBase, webhookSecret: env.STRIPE_WEBHOOK_SECRET?.trim() || undefined }
			: undefined
	};
}

/** The public base URL, used in links printed, emailed or returned by the API. */
export function publicOrigin(config: Config): string {
	return (config.origin ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
