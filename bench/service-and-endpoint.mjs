// `npm run bench:service`: the token service (bench/service.mjs), then the app endpoint (bench/endpoint.mjs),
// one after the other so they never load the machine at once. npm hands the script's arguments to the last
// command only, hence this runner: every argument goes to bench/service.mjs; --quick and --table, which both
// take, go to bench/endpoint.mjs too (its other options are its own: run it alone for those).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const run = (script, args) => {
  const { status, signal } = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`${script} ${signal ? `was killed by ${signal}` : `failed (exit ${status})`}`);
    process.exit(status || 1);
  }
};
run('./service.mjs', argv);
run(
  './endpoint.mjs',
  argv.filter((a) => a === '--quick' || a === '--table'),
);
