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
	return {
		port,
		origin: env.ORIGIN?.trim() || undefined,
		dataDir: path.resolve(env.DATA_DIR?.trim() || '.data'),
		databaseUrl,
		returnLinkSecret,
		smtpUrl: env.SMTP_URL?.trim() || undefined,
		logLevel: env.LOG_LEVEL?.trim() || (env.NODE_ENV === 'test' ? 'warn' : 'info'),
		seedDemo: (env.SEED_DEMO ?? (databaseUrl ? 'false' : 'true')) !== 'false'
	};
}

/** The public base URL, used in links printed, emailed or returned by the API. */
export function publicOrigin(config: Config): string {
	return (config.origin ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}
