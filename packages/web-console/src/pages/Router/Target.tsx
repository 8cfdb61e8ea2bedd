import type { Device } from '../../api/types';
import { Field, Select } from '../../components/ui';
import { deviceName } from './format';

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const OTHER = '';

/** What a block or schedule is for: a device of the inventory (by id), or an address typed in. */
export type TargetBody = { deviceId: string } | { ip: string } | { mac: string };

export interface TargetChoice {
  /** A device id, or '' for an address. */
  deviceId: string;
  address: string;
}

export const emptyTarget: TargetChoice = { deviceId: OTHER, address: '' };

/** The request body for a choice, or an error to show by the address field. */
export function targetBody(choice: TargetChoice): { body: TargetBody } | { error: string } {
  if (choice.deviceId) return { body: { deviceId: choice.deviceId } };
  const value = choice.address.trim();
  if (!value) return { error: 'Choose a device, or enter an IP address (192.168.1.23) or a MAC address (aa:bb:cc:dd:ee:ff).' };
  return { body: MAC.test(value) ? { mac: value } : { ip: value } };
}

/** A device list with "another address" that opens an address field. */
export function TargetFields({ devices, value, onChange, error }: { devices: Device[]; value: TargetChoice; onChange(next: TargetChoice): void; error?: string }) {
  return (
    <>
      <Select label="Device" value={value.deviceId} onChange={(e) => onChange({ ...value, deviceId: e.target.value })} hint="The devices the last scan found, by name">
        {devices.map((d) => (
          <option key={d.id} value={d.id}>
            {deviceName(d)}
            {d.ip ? ` · ${d.ip}` : ''}
          </option>
        ))}
        <option value={OTHER}>Another address (IP or MAC)</option>
      </Select>
      {!value.deviceId && (
        <Field
          label="IP or MAC address"
          value={value.address}
          onChange={(e) => onChange({ ...value, address: e.target.value })}
          error={error}
          placeholder="192.168.1.23 or aa:bb:cc:dd:ee:ff"
          autoComplete="off"
        />
      )}
      {value.deviceId && error && <p className="field-error">{error}</p>}
    </>
  );
}
