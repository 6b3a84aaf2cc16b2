import type { Queryable, TransactionSql } from './types';

/**
 * Runs `fn` in a transaction: a new one on the pool, or a savepoint inside the caller's, so a service
 * can be called alone or as one step of a larger all-or-nothing write (an import, a seed).
 */
export function inTransaction<T>(sql: Queryable, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
	if ('savepoint' in sql) return sql.savepoint((tx) => fn(tx)) as Promise<T>;
	return sql.begin((tx) => fn(tx)) as Promise<T>;
}
