import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { Block, Device } from '../../api/types';
import { useLive } from '../../app/live';
import { useLoad } from '../../app/use-load';
import { Badge, DataTable, ErrorBox, When } from '../../components/ui';
import type { RouterContext } from './context';
import { deviceName, timeIn } from './format';

/** The block that holds a device, by MAC or by its current IP. */
export function blockOf(device: Pick<Device, 'mac' | 'ip'>, blocks: Block[]): Block | undefined {
  return blocks.find((b) => (b.mac && b.mac === device.mac) || (b.ip && device.ip && b.ip === device.ip));
}

export function DevicesTab({ ctx }: { ctx: RouterContext }) {
  const { router, blocks } = ctx;
  const devices = useLoad(() => api.get('/api/v1/routers/{id}/devices', { path: { id: router.id } }), [router.id]);
  useLive((e) => e.routerId === router.id && ['command.finished', 'block.changed', 'schedule.changed', 'device.changed'].includes(e.kind), devices.reload);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busyMac, setBusyMac] = useState<string | null>(null);
  const autoScanned = useRef(false);

  const scan = async () => {
    setScanning(true);
    setError(null);
    try {
      await api.post('/api/v1/routers/{id}/scan', { path: { id: router.id } });
      devices.reload();
    } catch (err) {
      setError(ctx.reportError(err));
    } finally {
      setScanning(false);
    }
  };

  // A router seen for the first time has an empty inventory: look at its LAN right away.
  useEffect(() => {
    if (devices.data && devices.data.items.length === 0 && !autoScanned.current) {
      autoScanned.current = true;
      void scan();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [devices.data]);

  const toggle = async (device: Device) => {
    const held = blockOf(device, blocks);
    setBusyMac(device.mac);
    setError(null);
    try {
      if (held) await api.delete('/api/v1/routers/{id}/blocks/{blockId}', { path: { id: router.id, blockId: held.id } });
      else await api.post('/api/v1/routers/{id}/blocks', { path: { id: router.id }, body: { mac: device.mac, reason: `Blocked from the console: ${deviceName(device)}` } });
    } catch (err) {
      setError(ctx.reportError(err));
    } finally {
      ctx.reloadBlocks();
      setBusyMac(null);
    }
  };

  const items = devices.data?.items ?? [];
  return (
    <>
      <div className="toolbar">
        <h2>Devices</h2>
        <button type="button" className="secondary" onClick={() => void scan()} disabled={scanning}>
          {scanning ? 'Scanning…' : 'Scan now'}
        </button>
      </div>
      <ErrorBox error={devices.error ?? error} />
      <DataTable
        caption={`Devices on ${router.name}`}
        rows={items}
        rowKey={(d) => d.mac}
        empty={scanning || devices.loading ? 'Looking for devices…' : 'No devices seen yet. Scan to look at the router’s neighbours and DHCP leases.'}
        columns={[
          { label: 'Name', cell: (d) => <Rename routerId={router.id} device={d} onRenamed={devices.reload} /> },
          { label: 'Vendor', cell: (d) => d.vendor ?? <span className="muted">unknown</span> },
          { label: 'IP', cell: (d) => (d.ip ? <code>{d.ip}</code> : <span className="muted">none</span>) },
          { label: 'MAC', cell: (d) => <code>{d.mac}</code> },
          { label: 'Last seen', cell: (d) => <When at={d.lastSeenAt} /> },
          { label: 'Blocked', cell: (d) => <BlockedState device={d} held={blockOf(d, blocks)} timeZone={router.timeZone} /> },
          {
            label: 'Action',
            cell: (d) => {
              const held = blockOf(d, blocks);
              return (
                <button type="button" className={held ? 'secondary' : 'danger'} onClick={() => void toggle(d)} disabled={busyMac === d.mac} aria-label={`${held ? 'Unblock' : 'Block'} ${deviceName(d)}`}>
                  {busyMac === d.mac ? (held ? 'Unblocking…' : 'Blocking…') : held ? 'Unblock' : 'Block'}
                </button>
              );
            },
          },
        ]}
      />
    </>
  );
}

/** Whether the device is blocked, and by what: its manual block (and its end), or a schedule's open window. */
function BlockedState({ device, held, timeZone }: { device: Device; held: Block | undefined; timeZone: string }) {
  if (held && held.status !== 'applied') return <Badge tone="warn">{held.status === 'pending' ? 'Block pending' : 'Unblocking'}</Badge>;
  const schedules = device.blockedBy.flatMap((h) => (h.type === 'schedule' ? [h.label ?? 'a schedule'] : []));
  if (!held && !schedules.length) return <Badge tone="ok">No</Badge>;
  return (
    <>
      <Badge tone="bad">Blocked</Badge>
      {held?.until && <span className="muted"> until {timeIn(timeZone, held.until)}</span>}
      {schedules.length > 0 && <span className="muted"> by schedule {schedules.join(', ')}</span>}
    </>
  );
}

function Rename({ routerId, device, onRenamed }: { routerId: string; device: Device; onRenamed(): void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(device.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (name.trim().length > 100) {
      setError('Use at most 100 characters.');
      return;
    }
    try {
      await api.patch('/api/v1/routers/{id}/devices/{deviceId}', { path: { id: routerId, deviceId: device.id }, body: { name: name.trim() || null } });
      setEditing(false);
      onRenamed();
    } catch (err) {
      setError(err instanceof ApiError ? (Object.values(err.fieldErrors())[0] ?? err.message) : String(err));
    }
  };
  if (!editing) {
    return (
      <span className="rename">
        {deviceName(device)}{' '}
        <button type="button" className="link" onClick={() => setEditing(true)} aria-label={`Rename ${deviceName(device)}`}>
          Rename
        </button>
      </span>
    );
  }
  return (
    <form className="inline" onSubmit={(e) => void save(e)}>
      <label className="visually-hidden" htmlFor={`name-${device.mac}`}>
        Name for {device.mac}
      </label>
      <input id={`name-${device.mac}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus aria-invalid={error ? true : undefined} />
      <button type="submit">Save</button>
      <button type="button" className="secondary" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
