import Joi from 'joi';
import { deviceIpSchema, macSchema } from '@netpilot/contracts';
import { isoDate, uuid } from '../../http/common.schemas';

/** What a block or schedule is for, in a request: a device of the inventory (by its MAC), a MAC, or an IP; one of them. */
export const targetKeys = {
  deviceId: uuid.description('A device of the inventory: blocked by its MAC'),
  mac: macSchema,
  ip: deviceIpSchema,
};

/** What a block or schedule is for, in an answer: its address and the device it belongs to. */
export const targetViewKeys = {
  ip: Joi.string(),
  mac: Joi.string(),
  deviceId: uuid.allow(null).required().description('The device this address belongs to, when the inventory knows it'),
  deviceName: Joi.string().allow(null).required().description("That device's name (or DHCP hostname)"),
};

export const deviceParams = Joi.object({ id: uuid.required(), deviceId: uuid.required() });

export const renameDeviceBody = Joi.object({
  name: Joi.string().trim().min(1).max(100).allow(null).required().description('null forgets the name'),
});

/** A device as a scan sees it. */
const scannedDevice = Joi.object({
  mac: Joi.string().required(),
  ip: Joi.string().allow(null).required(),
  hostname: Joi.string().allow(null).required(),
  vendor: Joi.string().allow(null).required(),
  interface: Joi.string().allow(null).required(),
  source: Joi.string().valid('arp', 'dhcp', 'both').required(),
});

const hold = Joi.alternatives().try(
  Joi.object({ type: Joi.string().valid('block').required(), id: uuid.required(), until: isoDate.allow(null).required() }),
  Joi.object({ type: Joi.string().valid('schedule').required(), id: uuid.required(), label: Joi.string().allow(null).required() }),
);

/** A device of the stored inventory: as scanned, its id and name, what blocks it now, when it was first and last seen. */
export const deviceResponse = scannedDevice
  .keys({
    id: uuid.required().description('Stable: blocks and schedules may name the device by it'),
    name: Joi.string().allow(null).required().description("The owner's name for the device"),
    blocked: Joi.boolean().required().description('Whether the router should block it now (a manual block, or a schedule with an open window)'),
    blockedBy: Joi.array().items(hold).required().description('What holds it blocked now'),
    firstSeenAt: isoDate.required(),
    lastSeenAt: isoDate.required(),
  })
  .label('Device');

export const deviceListResponse = Joi.object({ items: Joi.array().items(deviceResponse).required() });

export const scanResponse = Joi.object({
  devices: Joi.array().items(scannedDevice).required(),
  commandId: uuid.required(),
});
