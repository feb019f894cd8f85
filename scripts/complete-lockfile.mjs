#!/usr/bin/env node
// This workplace's npm registry serves only the platform packages of this machine, so `npm install` writes a lock
// file without the other platforms' optional binaries (biome, rollup), and `npm ci` then refuses it as out of sync.
// This adds the missing optional entries with the os/cpu/libc npm needs to skip them. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const OSES = ['android', 'darwin', 'freebsd', 'openbsd', 'openharmony', 'win32', 'linux'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'];
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (packages[`node_modules/${name}`]) continue;
    const base = name.split('/').pop();
    const os = OSES.find((o) => base.includes(`${o}-`));
    if (!os) continue;
    const cpu = CPUS.find((c) => base.split(`${os}-`)[1]?.startsWith(c));
    if (!cpu) continue;
    const stub = {
      version: range.replace(/^[\^~=]/, ''),
      cpu: [cpu],
      dev: entry.dev === true,
      license: entry.license,
      optional: true,
      os: [os],
    };
    if (os === 'linux') stub.libc = [base.includes('musl') ? 'musl' : 'glibc'];
    packages[`node_modules/${name}`] = stub;
    added++;
    process.stdout.write(`added ${name} (for ${key})\n`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added} optional platform entries added\n`);
