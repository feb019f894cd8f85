import { defineServerContract, downUrlLike, forgetPostgres, outageVia } from './servers.js';

const url =
  process.env.NEWSDIGEST_TEST_POSTGRES_URL ?? 'postgres://newsdigest:newsdigest@127.0.0.1:5432/newsdigest_test';

await defineServerContract(
  {
    name: 'PostgreSQL',
    url,
    env: 'NEWSDIGEST_TEST_POSTGRES_URL',
    howToStart:
      'pg_ctlcluster 15 main start, then create role newsdigest (password newsdigest) and database newsdigest_test',
  },
  {
    backend: 'postgres',
    url,
    persistent: true,
    downUrl: () => downUrlLike(url),
    outage: outageVia(url),
    forget: (namespaces) => forgetPostgres(url, namespaces),
  },
);
