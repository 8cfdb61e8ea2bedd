import { sha256Fingerprint } from './fingerprint';

// Key blobs and the fingerprints `ssh-keygen -lf` printed for them (OpenSSH 9.2).
const VECTORS = [
  {
    pub: 'AAAAC3NzaC1lZDI1NTE5AAAAIJ6HmARks1wsrhAwpuneSEM2xhxXIsJTs8a0JZG/9ckn',
    fingerprint: 'SHA256:VgcyDqDXzU/WRrTCsAlDBSZNul8NEqDjqCDwYVfIugE',
  },
  {
    pub: 'AAAAB3NzaC1yc2EAAAADAQABAAABAQCzCtVZs/JzSlYa/LrYZv73nwlVMbjEL7LSnO5CYtcOtdo60NOnVKkDLbcsVKFjQ+IuNm52wwZ5ep4u8c8sMXu/KzzN9gaJ0uKlm1V2apgMoYcpNWg5i0XeKdvTuPeJVi2aVcq5EQpQTgRpIxTO1Ju09Ohl2HIu0bKxpTSYHuTcYpAKxj0F3XDXJN19OTz/tJ4SeUAQAMelRtCnUi0+bP+P2iZ2D0zNYfn0Ld2zXN1G2P7qyMeRnzy3zfRI61PTfhW4IwkQ/LJy2pdr26uFV7dPfSTUQbikJ+bjAMumUIyFJkkvUOmy24egZO3nMpPc3LsDTLYJyLfaXM/UxZDXa+zT',
    fingerprint: 'SHA256:uRje69I1Quq0VSnVJVEumn6r2MgBKA0yTwKFhVPikXA',
  },
];

describe('sha256Fingerprint', () => {
  it.each(VECTORS)('when given a host key blob, then it prints what ssh-keygen -lf prints ($fingerprint)', ({ pub, fingerprint }) => {
    expect(sha256Fingerprint(Buffer.from(pub, 'base64'))).toBe(fingerprint);
  });

  it('when formatted, then it has no base64 padding and matches the contract pattern', () => {
    const fp = sha256Fingerprint(Buffer.from('any key blob'));
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('when two keys differ by one byte, then their fingerprints differ', () => {
    const blob = Buffer.from(VECTORS[0].pub, 'base64');
    const other = Buffer.from(blob);
    other[other.length - 1] ^= 1;
    expect(sha256Fingerprint(other)).not.toBe(sha256Fingerprint(blob));
  });
});
