/**
 * The server's TLS identity. kubectl (client-go) sends bearer tokens only over TLS, so the API is
 * served over HTTPS with a self-signed ECDSA P-256 certificate made at first start into
 * `<dataDir>/tls/` (key mode 0600) and reused while it covers the listen address and is valid.
 * `tektite kubeconfig` embeds the certificate as the cluster's `certificate-authority-data`.
 *
 * The certificate is encoded here (a small DER writer) because Node can sign but not build
 * X.509 certificates.
 *
 * @module
 */

import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname } from "node:os";
import { join } from "node:path";

/** PEM certificate and key. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

const VALIDITY_YEARS = 10;

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  let len: Buffer;
  if (body.length < 0x80) len = Buffer.from([body.length]);
  else {
    const bytes: number[] = [];
    for (let n = body.length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...c: Buffer[]): Buffer => der(0x30, ...c);
const set = (...c: Buffer[]): Buffer => der(0x31, ...c);
const octets = (b: Buffer): Buffer => der(0x04, b);
const bool = (v: boolean): Buffer => der(0x01, Buffer.from([v ? 0xff : 0]));
const explicit = (n: number, c: Buffer): Buffer => der(0xa0 + n, c);

function integer(b: Buffer): Buffer {
  return der(0x02, (b[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(text: string): Buffer {
  const parts = text.split(".").map(Number);
  const out = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift(0x80 | (v & 0x7f));
    out.push(...bytes);
  }
  return der(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split(".").map(Number));
  const [head = "", tail = ""] = ip.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = ip.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from([parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

/** The DNS names and IPs the certificate must cover for a listen address. */
export function subjectAltNames(address: string): { dns: string[]; ips: string[] } {
  const dns = new Set(["localhost"]);
  const ips = new Set(["127.0.0.1", "::1"]);
  if (address === "0.0.0.0" || address === "::") dns.add(hostname());
  else if (isIP(address) !== 0) ips.add(address);
  else dns.add(address);
  return { dns: [...dns], ips: [...ips] };
}

/** Makes a self-signed server certificate (also usable as its own CA) for the given names. */
export function makeSelfSigned(names: { dns: string[]; ips: string[] }, now = new Date()): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const name = seq(set(seq(oid("2.5.4.3"), der(0x0c, Buffer.from("tektite")))));
  const serial = randomBytes(16);
  // Positive, and with a non-zero first byte: DER forbids a leading zero byte before one below 0x80.
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + VALIDITY_YEARS);
  const san = seq(
    ...names.dns.map((d) => der(0x82, Buffer.from(d))),
    ...names.ips.map((ip) => der(0x87, ipBytes(ip))),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now.getTime() - 60_000)), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(
      3,
      seq(
        extension("2.5.29.19", true, seq(bool(true))),
        extension("2.5.29.15", true, der(0x03, Buffer.from([2, 0x84]))),
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))),
        extension("2.5.29.17", false, san),
      ),
    ),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), signature));
  const b64 = cert
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function covers(cert: X509Certificate, names: { dns: string[]; ips: string[] }, now: Date): boolean {
  const entries = (cert.subjectAltName ?? "").split(", ");
  const dns = new Set(entries.filter((e) => e.startsWith("DNS:")).map((e) => e.slice(4)));
  const ips = new Set(
    entries
      .filter((e) => e.startsWith("IP Address:"))
      .map((e) => ipBytes(e.slice("IP Address:".length)).toString("hex")),
  );
  const valid = new Date(cert.validTo).getTime() > now.getTime() + 86_400_000;
  return (
    valid &&
    names.dns.every((d) => dns.has(d)) &&
    names.ips.every((ip) => ips.has(ipBytes(ip).toString("hex")))
  );
}

/** Paths of the certificate and key in a data directory. */
export function tlsPaths(dataDir: string): { cert: string; key: string } {
  return { cert: join(dataDir, "tls", "server.crt"), key: join(dataDir, "tls", "server.key") };
}

/** Reads the certificate (PEM), if it exists. */
export function readCertificate(dataDir: string): string | undefined {
  const { cert } = tlsPaths(dataDir);
  return existsSync(cert) ? readFileSync(cert, "utf8") : undefined;
}

/** Reads the TLS identity of a data directory, making a new one when missing, expiring or not covering `address`. */
export function ensureTlsIdentity(dataDir: string, address: string, now = new Date()): TlsIdentity {
  const paths = tlsPaths(dataDir);
  const names = subjectAltNames(address);
  if (existsSync(paths.cert) && existsSync(paths.key)) {
    const cert = readFileSync(paths.cert, "utf8");
    const key = readFileSync(paths.key, "utf8");
    createPrivateKey(key);
    if (covers(new X509Certificate(cert), names, now)) return { cert, key };
  }
  const made = makeSelfSigned(names, now);
  mkdirSync(join(dataDir, "tls"), { recursive: true, mode: 0o700 });
  writeFileSync(paths.key, made.key, { mode: 0o600 });
  chmodSync(paths.key, 0o600);
  writeFileSync(paths.cert, made.cert, { mode: 0o644 });
  return made;
}
