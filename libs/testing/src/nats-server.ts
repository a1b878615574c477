import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface NatsServerProcess {
  readonly url: string;
  readonly port: number;
  /** JetStream storage of this server (a fresh temporary directory). */
  readonly storeDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after the timeout) and removes its directory. */
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /** Renders the configuration once the port and storage directory are chosen. */
  readonly config: (settings: {
    readonly port: number;
    readonly storeDir: string;
    readonly host: string;
  }) => string;
  /** Environment of the server process, for `$VARIABLE` references in the configuration. */
  readonly env?: Readonly<Record<string, string>>;
  readonly binary?: string;
  readonly startTimeoutMs?: number;
  /** Address the server listens on and clients dial (default 127.0.0.1). */
  readonly host?: string;
  /** Client port; a free loopback port when omitted. */
  readonly port?: number;
  /** Network namespace to run the server in (`ip netns exec`), for partition tests. */
  readonly netns?: string;
}

/**
 * Starts a nats-server of its own (free port, JetStream in a temporary directory) for a test that
 * needs a configuration the shared open server must not have, such as users and permissions.
 * Resolves once the server reports it is ready; call `stop()` in afterAll.
 */
export async function startNatsServer(options: NatsServerOptions): Promise<NatsServerProcess> {
  const port = options.port ?? (await freePort());
  const host = options.host ?? '127.0.0.1';
  const storeDir = await mkdtemp(join(tmpdir(), 'kailash-nats-'));
  const configFile = join(storeDir, 'nats-server.conf');
  await writeFile(configFile, options.config({ port, storeDir: join(storeDir, 'jetstream'), host }), {
    mode: 0o600,
  });
  const binary = options.binary ?? '/usr/sbin/nats-server';
  const [command, args] = options.netns
    ? ['/usr/sbin/ip', ['netns', 'exec', options.netns, binary, '-c', configFile]]
    : [binary, ['-c', configFile]];
  const child = spawn(command, args, {
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    await terminate(child, 5_000);
    await rm(storeDir, { recursive: true, force: true });
  };
  try {
    await ready(child, options.startTimeoutMs ?? 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://${host}:${port}`, port, storeDir, stop };
}

function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`nats-server not ready within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`nats-server exited with ${code} before it was ready:\n${output}`)),
    );
    child.once('error', fail);
  });
}

function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
