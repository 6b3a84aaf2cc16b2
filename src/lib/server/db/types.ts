import type postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type TransactionSql = postgres.TransactionSql<Record<string, unknown>>;
/** Either the pool or a transaction: functions that only query accept both. */
export type Queryable = Sql | TransactionSql;
