// Preloaded into the service (NODE_OPTIONS=--require, which refuses --cpu-prof itself): profiles the
// whole process with the inspector and writes a .cpuprofile into BENCH_CPU_PROF_DIR when it exits.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // A main-thread session answers synchronously, so this completes inside the exit handler.
  process.on('exit', () =>
    session.post('Profiler.stop', (error, result) => {
      if (!error)
        writeFileSync(join(dir, `state-svc-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    }),
  );
}
