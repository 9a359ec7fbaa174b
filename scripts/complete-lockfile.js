#!/usr/bin/env node
// The registry mirror this project is developed against serves only this platform's
// native optional packages (e.g. @swc/core-linux-x64-gnu), so `npm install` leaves the
// other platforms' entries out of package-lock.json, and `npm ci` then refuses the lock as
// out of sync. This adds a stub entry (version + os/cpu/libc) for every optional
// dependency the lock names but lacks; npm ci skips stubs for foreign platforms.
// Run it after any `npm install` that changes dependencies.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'sunos', 'aix', 'netbsd', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((o) => parts.includes(o)) ?? (parts.includes('windows') || parts.includes('msvc') ? 'win32' : undefined);
  const cpu =
    CPU.find((c) => parts.includes(c)) ??
    (parts.includes('x86_64')
      ? 'x64'
      : parts.includes('aarch64')
        ? 'arm64'
        : parts.includes('wasi') || parts.includes('wasm')
          ? 'wasm32'
          : undefined);
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [where, pkg] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = where === '' ? 'node_modules' : `${where}/node_modules`;
    const candidates = [`${base}/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => packages[c])) continue;
    const version = String(spec).replace(/^[\^~=]/, '');
    const { os, cpu, libc } = platformOf(name);
    packages[`node_modules/${name}`] = {
      version,
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} stub entries`);
