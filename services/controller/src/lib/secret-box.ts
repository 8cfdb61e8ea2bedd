import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (TOTP secrets, router credentials).
 *
 * Sealed form: `v1.<iv>.<ciphertext>.<tag>`, each part base64url. The version prefix lets a
 * later format or key change be recognised row by row. A `context` string (e.g.
 * `totp:<userId>`) is bound in as additional authenticated data, so a ciphertext copied into
 * another row or column does not decrypt there.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError(`SecretBox needs a 32-byte key, got ${key.length} bytes`);
    // A private copy: the caller's buffer may be reused or zeroed.
    this.#key = Buffer.from(key);
  }

  /** Encrypts `plaintext`; the result is safe to store as text. */
  seal(plaintext: string | Buffer, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Decrypts what `seal` produced with the same key and context; throws SecretBoxError otherwise. */
  open(sealed: string, context = ''): Buffer {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new SecretBoxError('Sealed value has an unknown format or version');
    }
    const [, ivText, bodyText, tagText] = parts;
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('Sealed value is malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]);
    } catch {
      // Never say more: wrong key, wrong context and tampering look the same on purpose.
      throw new SecretBoxError('Sealed value cannot be opened (wrong key, wrong context or tampered)');
    }
  }

  /** `open` for values sealed from a string. */
  openString(sealed: string, context = ''): string {
    return this.open(sealed, context).toString('utf8');
  }
}

function aad(context: string): Buffer {
  return Buffer.from(`netpilot:${VERSION}:${context}`, 'utf8');
}
