// The job of `imagekit upload PATH... --folder F --concurrency C`, over the official Node SDK
// (@imagekit/nodejs 7.x): walk the paths, upload every file as a read stream, C at a time.
//
//   NODE_PATH=.tools/peers/node/node_modules node benches/cli/upload.cjs --base-url URL \
//     [--concurrency 4] [--folder /bench] PATH...
//
// Where files land is the tool's mapping: a directory keeps its name (`dir/a/b.png` to
// `/bench/dir/a/b.png`), each directory's entries in sorted order. Prints one line per file,
// `uploaded PATH (fileId ID)`, and exits 1 if any upload failed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { default: ImageKit } = require('@imagekit/nodejs');

const KEY = 'private_bench_key';

function parse(argv) {
  const flags = { concurrency: '4', folder: '/' };
  const paths = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
      flags[argv[i].slice(2)] = argv[++i];
    } else {
      paths.push(argv[i]);
    }
  }
  return { flags, paths };
}

const join = (folder, name) => (folder.endsWith('/') ? folder + name : `${folder}/${name}`);

// Files under `paths`, one directory read at a time, as { local, folder, name }.
async function* walk(paths, folder) {
  for (const given of paths) {
    const stat = await fs.promises.stat(given);
    if (stat.isFile()) {
      yield { local: given, folder, name: path.basename(given) };
    } else if (stat.isDirectory()) {
      yield* walkDir(given, join(folder, path.basename(path.resolve(given))));
    }
  }
}

async function* walkDir(dir, folder) {
  const entries = (await fs.promises.readdir(dir, { withFileTypes: true }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const local = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkDir(local, join(folder, entry.name));
    else if (entry.isFile()) yield { local, folder, name: entry.name };
  }
}

async function main() {
  const { flags, paths } = parse(process.argv.slice(2));
  const concurrency = Math.max(1, Number(flags.concurrency));
  const client = new ImageKit({ privateKey: KEY, baseURL: flags['base-url'] });
  const files = walk(paths, flags.folder);
  let failed = 0;
  const worker = async () => {
    for (;;) {
      const next = await files.next();
      if (next.done) return;
      const { local, folder, name } = next.value;
      try {
        const uploaded = await client.files.upload({
          file: fs.createReadStream(local),
          fileName: name,
          folder,
          useUniqueFileName: false,
        });
        console.log(`uploaded ${uploaded.filePath} (fileId ${uploaded.fileId})`);
      } catch (error) {
        failed++;
        console.error(`failed ${local}: ${error.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
