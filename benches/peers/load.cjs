// Load driver for the official Node SDK (@imagekit/nodejs 7.x): the same calls as
// `cargo run --release -p imagekit-examples --example load`, printed in the same format.
//
//   NODE_PATH=.tools/peers/node/node_modules node benches/peers/load.cjs --base-url URL --requests N --concurrency C
//
// Concurrency: C async workers sharing one counter, awaited with Promise.all. One untimed first
// call (cold start when LOAD_T0_NS is set), untimed warm-up calls, then N timed calls.
'use strict';
const t0Env = process.env.LOAD_T0_NS;
const { default: ImageKit } = require('@imagekit/nodejs');

const FILE_ID = '6673f2b6b2c3e4a1d9f1a2b3';
const VERSION_ID = '6673f9c2e7d8a5b4c3f2e1d0';
const KEY = 'private_load_test_key=';

function flags(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

async function run(client, requests, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next++ < requests) {
      const file = await client.files.versions.get(VERSION_ID, { fileId: FILE_ID });
      if (file.versionInfo.id !== VERSION_ID) throw new Error('unexpected answer');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(requests, 1)) }, worker));
}

async function main() {
  const f = flags(process.argv.slice(2));
  const requests = Number(f.requests ?? 20000);
  const concurrency = Math.max(1, Number(f.concurrency ?? 16));
  const warmup = Number(f.warmup ?? Math.min(Math.max(Math.floor(requests / 10), concurrency * 4), 5000));
  const client = new ImageKit({ privateKey: KEY, baseURL: f['base-url'] });

  const first = await client.files.versions.get(VERSION_ID, { fileId: FILE_ID });
  if (first.versionInfo.id !== VERSION_ID) throw new Error('unexpected answer');
  const coldMs = t0Env ? (performance.timeOrigin + performance.now()) - Number(BigInt(t0Env) / 1000n) / 1000 : null;

  await run(client, warmup, concurrency);
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(client, requests, concurrency);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);

  console.log('mode: node-sdk');
  console.log(`sdk: @imagekit/nodejs ${require('@imagekit/nodejs/version').VERSION}, node ${process.version}`);
  console.log(`base url: ${f['base-url']}`);
  console.log(`requests: ${requests}`);
  console.log(`concurrency: ${concurrency}`);
  console.log(`warm-up requests: ${warmup}`);
  if (coldMs !== null) console.log(`cold start ms: ${coldMs.toFixed(2)}`);
  console.log(`elapsed s: ${elapsed.toFixed(3)}`);
  console.log(`cpu us/request: ${((cpu.user + cpu.system) / requests).toFixed(2)}`);
  console.log(`peak rss KiB: ${process.resourceUsage().maxRSS}`);
  console.log(`requests/s: ${(requests / elapsed).toFixed(1)}`);
}

main().catch((e) => {
  console.error(`error: ${e.stack ?? e}`);
  process.exit(1);
});
