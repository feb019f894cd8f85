// The part of pg that backends/postgres.ts uses. pg comes with @keyv/postgres and ships no types of its own;
// if @types/pg is ever added to the project, delete this file.
declare module 'pg' {
  export interface PoolConfig {
    connectionString?: string;
    max?: number;
    connectionTimeoutMillis?: number;
    idleTimeoutMillis?: number;
    query_timeout?: number;
    application_name?: string;
  }

  export interface QueryResult {
    rows: unknown[];
  }

  export class Pool {
    constructor(config?: PoolConfig);
    query(text: string, values?: readonly unknown[]): Promise<QueryResult>;
    on(event: 'error', listener: (error: Error) => void): this;
    end(): Promise<void>;
  }

  const pg: { Pool: typeof Pool };
  export default pg;
}
