/** The highest address of a subnet, as bytes: the network with every bit after the prefix set. */
export function lastAddress(network: readonly number[], prefixLength: number): number[] {
  return network.map((byte, index) => byte | ((1 << Math.min(8, Math.max(0, (index + 1) * 8 - prefixLength))) - 1));
}
