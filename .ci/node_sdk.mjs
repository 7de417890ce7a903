// The official Node SDK (@imagekit/nodejs 7.x) against the emulator's HTTP server at $BASE:
// every call must succeed. Prints one line per call and a count; exits 1 on any failure.
import ImageKit, { toFile } from '@imagekit/nodejs';

const client = new ImageKit({ privateKey: 'private_emulator', baseURL: process.env.BASE, maxRetries: 0 });
const file = (text) => toFile(Buffer.from(text), 'a.txt');
let passed = 0;
let failed = 0;
async function call(name, run) {
  try {
    const value = await run();
    passed += 1;
    console.log(`ok   ${name}`);
    return value;
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${error.status ?? ''} ${error.message}`);
    return undefined;
  }
}

const first = await call('files.upload', async () =>
  client.files.upload({ file: await file('one'), fileName: 'a.txt', folder: '/sdk', useUniqueFileName: false, tags: ['t1'] }));
await call('files.upload (a second version)', async () =>
  client.files.upload({ file: await file('two'), fileName: 'a.txt', folder: '/sdk', useUniqueFileName: false }));
const id = first?.fileId ?? 'missing';
await call('assets.list', () => client.assets.list({ path: '/sdk' }));
await call('assets.list with a searchQuery', () => client.assets.list({ searchQuery: 'name = "a.txt"' }));
await call('files.get', () => client.files.get(id));
await call('files.update', () => client.files.update(id, { tags: ['t2'] }));
await call('files.metadata.get', () => client.files.metadata.get(id));
const versions = await call('files.versions.list', () => client.files.versions.list(id));
const older = versions?.find((v) => v.versionInfo?.id !== id)?.versionInfo?.id ?? id;
await call('files.versions.get', () => client.files.versions.get(older, { fileId: id }));
await call('folders.create', () => client.folders.create({ folderName: 'x', parentFolderPath: '/sdk' }));
await call('files.copy', () => client.files.copy({ sourceFilePath: '/sdk/a.txt', destinationPath: '/sdk/x' }));
await call('files.rename', () => client.files.rename({ filePath: '/sdk/x/a.txt', newFileName: 'b.txt' }));
await call('files.bulk.addTags', () => client.files.bulk.addTags({ fileIds: [id], tags: ['t3'] }));
await call('cache.invalidation.create', () => client.cache.invalidation.create({ url: 'https://ik.imagekit.io/emulator/sdk/a.txt' }));
await call('files.delete', () => client.files.delete(id));
console.log(`official Node SDK against the emulator: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
