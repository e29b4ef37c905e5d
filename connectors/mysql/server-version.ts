/**
 * Which server we talk to, from SELECT VERSION(), and what its SQL accepts.
 */
export type MysqlFlavor = 'mysql' | 'mariadb';
export type ServerVersion = readonly [major: number, minor: number, patch: number];

export interface ServerInfo {
  readonly flavor: MysqlFlavor;
  readonly version: ServerVersion;
}

/**
 * '8.0.36', '8.4.0-log', '10.11.19-MariaDB-0+deb12u1', '5.5.5-10.6.4-MariaDB' (the replication
 * prefix old MariaDB put in the handshake) -> flavor and version.
 */
export function parseServerVersion(text: string): ServerInfo {
  const flavor: MysqlFlavor = /mariadb/i.test(text) ? 'mariadb' : 'mysql';
  const stripped = flavor === 'mariadb' ? text.replace(/^5\.5\.5-/, '') : text;
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(stripped);
  const version: ServerVersion = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  return { flavor, version };
}

export function versionAtLeast(v: ServerVersion, major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

export function versionText(v: ServerVersion): string {
  return v.join('.');
}

/**
 * MySQL 8.0.20 deprecated VALUES(col) in ON DUPLICATE KEY UPDATE in favour of a row alias
 * (INSERT ... VALUES (...) AS new ON DUPLICATE KEY UPDATE c = new.c). MariaDB has no row alias.
 */
export function supportsRowAlias(info: ServerInfo): boolean {
  return info.flavor === 'mysql' && versionAtLeast(info.version, 8, 0, 20);
}

/** MariaDB (10.0.2+) takes ADD COLUMN IF NOT EXISTS; MySQL does not. */
export function supportsAddColumnIfNotExists(info: ServerInfo): boolean {
  return info.flavor === 'mariadb' && versionAtLeast(info.version, 10, 0, 2);
}

/**
 * The binary, NO PAD utf8mb4 collation: compares exactly ('a' <> 'A', 'a' <> 'a '), as the source
 * does. MySQL 8: utf8mb4_0900_bin; MariaDB 10.2+: utf8mb4_nopad_bin; older: utf8mb4_bin (PAD SPACE).
 */
export function binaryCollation(info: ServerInfo): string {
  if (info.flavor === 'mysql') return versionAtLeast(info.version, 8, 0, 1) ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
  return versionAtLeast(info.version, 10, 2, 2) ? 'utf8mb4_nopad_bin' : 'utf8mb4_bin';
}
