/**
 * --interface resolution: a name ("eth0") or an address ("10.0.0.1") becomes an InterfaceSpec,
 * checked against this host's interfaces before any socket opens.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { ConfigError } from '../errors.js';
import { familyName, familyOf, sameAddress, splitZone } from './address.js';
import type { Family, InterfaceSpec } from './types.js';

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

const FLAG = '--interface';

function infoFamily(info: NetworkInterfaceInfo): Family {
  // Node 18.0-18.3 reported the family as a number; later versions as 'IPv4' / 'IPv6'.
  const f: unknown = info.family;
  return f === 'IPv6' || f === 6 ? 6 : 4;
}

function available(table: InterfaceTable): string {
  const names = Object.keys(table).sort();
  return names.length > 0 ? `an interface name or address of this host: ${names.join(', ')}` : 'an interface of this host';
}

/** IPv6 multicast options take an interface index; the scoped wildcard carries it by name. */
function specFor(given: string, name: string, family: Family, v4Address: string | null): InterfaceSpec {
  return { given, name, address: family === 6 ? `::%${name}` : v4Address };
}

function byAddress(given: string, family: Family, table: InterfaceTable): InterfaceSpec {
  const givenFamily = familyOf(given);
  if (givenFamily !== family) {
    throw new ConfigError(FLAG, `${given} is an ${familyName(givenFamily ?? 4)} address but the run is ${familyName(family)}`, `an ${familyName(family)} address or an interface name`, 'ERR_OPTION_CONFLICT');
  }
  for (const [name, infos] of Object.entries(table)) {
    if (infos?.some((info) => sameAddress(info.address, given))) return specFor(given, name, family, splitZone(given).address);
  }
  throw new ConfigError(FLAG, `${given} is not an address of this host`, available(table));
}

function byName(given: string, family: Family, table: InterfaceTable): InterfaceSpec {
  const infos = table[given];
  if (!infos) throw new ConfigError(FLAG, `no interface named '${given}'`, available(table));
  if (family === 6) return specFor(given, given, 6, null);
  const v4 = infos.find((info) => infoFamily(info) === 4);
  if (!v4) throw new ConfigError(FLAG, `'${given}' has no IPv4 address`, `an interface with an IPv4 address: ${available(table)}`);
  return specFor(given, given, 4, v4.address);
}

export function resolveInterface(given: string, family: Family, table: InterfaceTable): InterfaceSpec {
  const trimmed = given.trim();
  if (trimmed === '') throw new ConfigError(FLAG, 'is empty', available(table));
  return familyOf(trimmed) !== null ? byAddress(trimmed, family, table) : byName(trimmed, family, table);
}
