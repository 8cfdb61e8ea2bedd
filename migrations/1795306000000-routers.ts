import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Routers1795306000000 implements MigrationInterface {
  name = 'Routers1795306000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE routers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        host text NOT NULL,
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        username text NOT NULL,
        platform text NOT NULL CHECK (platform IN ('openwrt', 'linux-nft', 'linux-iptables')),
        -- Secret box (AES-256-GCM) of {password} or {privateKey, passphrase?}; never returned.
        credentials_enc text NOT NULL,
        auth_method text NOT NULL CHECK (auth_method IN ('password', 'privateKey')),
        options jsonb NOT NULL DEFAULT '{}',
        -- {host, port, username, authMethod, hostKeySha256?}; its secret lives in jump_credentials_enc.
        jump_host jsonb,
        jump_credentials_enc text,
        tunnel_port integer CHECK (tunnel_port BETWEEN 1 AND 65535),
        host_key_sha256 text,
        status text NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'online', 'offline')),
        last_seen_at timestamptz,
        provision_key_hash text,
        provision_key_expires_at timestamptz,
        router_token_hash text,
        registered_at timestamptz,
        network_info jsonb,
        -- Millisecond precision: keyset cursors carry a JS Date, which holds milliseconds.
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX routers_owner_idx ON routers (owner_id, created_at, id)');
    await q.query('CREATE UNIQUE INDEX routers_provision_key_idx ON routers (provision_key_hash) WHERE provision_key_hash IS NOT NULL');
    await q.query('CREATE UNIQUE INDEX routers_router_token_idx ON routers (router_token_hash) WHERE router_token_hash IS NOT NULL');

    await q.query(`
      CREATE TABLE router_assignments (
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        assigned_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (router_id, user_id)
      )`);
    await q.query('CREATE INDEX router_assignments_user_idx ON router_assignments (user_id)');

    // The desired state: what should be blocked where. 'removing' rows wait for the router to drop them.
    await q.query(`
      CREATE TABLE blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('ip', 'mac')),
        value text NOT NULL,
        reason text,
        status text NOT NULL CHECK (status IN ('pending', 'applied', 'removing')),
        last_error_code text,
        last_error text,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        UNIQUE (router_id, kind, value)
      )`);

    await q.query(`
      CREATE TABLE devices (
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        mac text NOT NULL,
        ip text,
        hostname text,
        vendor text,
        interface text,
        source text NOT NULL CHECK (source IN ('arp', 'dhcp', 'both')),
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (router_id, mac)
      )`);

    await q.query(`
      CREATE TABLE commands (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        router_id uuid NOT NULL REFERENCES routers(id) ON DELETE CASCADE,
        action text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'succeeded', 'failed')),
        error_code text,
        error_message text,
        duration_ms integer,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        session_id uuid,
        request_id text,
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query('CREATE INDEX commands_router_idx ON commands (router_id, created_at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE commands');
    await q.query('DROP TABLE devices');
    await q.query('DROP TABLE blocks');
    await q.query('DROP TABLE router_assignments');
    await q.query('DROP TABLE routers');
  }
}
