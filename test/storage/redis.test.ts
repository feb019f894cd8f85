import { defineServerContract, downUrlLike, forgetRedis, outageVia } from './servers.js';

const url = process.env.NEWSDIGEST_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

await defineServerContract(
  {
    name: 'Redis',
    url,
    env: 'NEWSDIGEST_TEST_REDIS_URL',
    howToStart: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
  },
  {
    backend: 'redis',
    url,
    persistent: true,
    downUrl: () => downUrlLike(url),
    outage: outageVia(url),
    forget: (namespaces) => forgetRedis(url, namespaces),
  },
);
