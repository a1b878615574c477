import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const IP = '/usr/sbin/ip';

/** One network namespace of a lab, joined to the lab's bridge by a veth pair. */
export interface LabHost {
  readonly netns: string;
  /** The namespace's address on the lab subnet. */
  readonly address: string;
  /** The veth end on the bridge; taking it down cuts this host off from every other one. */
  readonly link: string;
}

export interface NetworkLab {
  readonly hosts: readonly LabHost[];
  /** The test process's own address on the lab subnet (the bridge, in the root namespace). */
  readonly gateway: string;
  /** Prefix for `spawn`: runs a command inside a host's namespace. */
  command(host: LabHost, binary: string, args: readonly string[]): [string, string[]];
  /** Cuts the host's only link: it reaches nobody and nobody reaches it. */
  cut(host: LabHost): void;
  heal(host: LabHost): void;
  destroy(): void;
}

/**
 * `size` network namespaces on one bridge, so processes in them talk over real (virtual) links
 * that a test can cut. Needs root (CAP_NET_ADMIN). Names carry a random tag so parallel runs
 * never collide; `destroy()` removes the namespaces, their veth pairs and the bridge.
 */
export function createNetworkLab(size: number): NetworkLab {
  const tag = randomBytes(2).toString('hex');
  const prefix = `kl${tag}`;
  const subnet = `10.${64 + ((randomBytes(1)[0] as number) % 64)}.${randomBytes(1)[0] as number}`;
  const bridge = `${prefix}br`;
  const hosts: LabHost[] = [];
  const destroy = () => {
    for (const host of hosts) tryIp(['netns', 'del', host.netns]);
    tryIp(['link', 'del', bridge]);
  };
  try {
    ip(['link', 'add', bridge, 'type', 'bridge']);
    ip(['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    for (let i = 0; i < size; i++) hosts.push(addHost(prefix, subnet, bridge, i));
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    hosts,
    gateway: `${subnet}.1`,
    command: (host, binary, args) => [IP, ['netns', 'exec', host.netns, binary, ...args]],
    cut: (host) => ip(['link', 'set', host.link, 'down']),
    heal: (host) => ip(['link', 'set', host.link, 'up']),
    destroy,
  };
}

function addHost(prefix: string, subnet: string, bridge: string, i: number): LabHost {
  const netns = `${prefix}-h${i}`;
  const link = `${prefix}b${i}`;
  const inside = `${prefix}n${i}`;
  const address = `${subnet}.${10 + i}`;
  ip(['netns', 'add', netns]);
  ip(['link', 'add', link, 'type', 'veth', 'peer', 'name', inside]);
  ip(['link', 'set', inside, 'netns', netns]);
  ip(['link', 'set', link, 'master', bridge]);
  ip(['link', 'set', link, 'up']);
  ip(['-n', netns, 'addr', 'add', `${address}/24`, 'dev', inside]);
  ip(['-n', netns, 'link', 'set', inside, 'up']);
  ip(['-n', netns, 'link', 'set', 'lo', 'up']);
  return { netns, address, link };
}

function ip(args: readonly string[]): void {
  execFileSync(IP, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

function tryIp(args: readonly string[]): void {
  try {
    ip(args);
  } catch {
    // already gone
  }
}

/** True when this process may create network namespaces (root with CAP_NET_ADMIN and `ip`). */
export function canCreateNetworkLab(): boolean {
  try {
    const lab = createNetworkLab(1);
    lab.destroy();
    return true;
  } catch {
    return false;
  }
}
