import Joi from 'joi';
import { isoDate, uuid } from '../../http/common.schemas';

/** A device as a scan sees it. */
const scannedDevice = Joi.object({
  mac: Joi.string().required(),
  ip: Joi.string().allow(null).required(),
  hostname: Joi.string().allow(null).required(),
  vendor: Joi.string().allow(null).required(),
  interface: Joi.string().allow(null).required(),
  source: Joi.string().valid('arp', 'dhcp', 'both').required(),
});

/** A device of the stored inventory: as scanned, with when it was first and last seen. */
export const deviceResponse = scannedDevice.keys({
  firstSeenAt: isoDate.required(),
  lastSeenAt: isoDate.required(),
});

export const deviceListResponse = Joi.object({ items: Joi.array().items(deviceResponse).required() });

export const scanResponse = Joi.object({
  devices: Joi.array().items(scannedDevice).required(),
  commandId: uuid.required(),
});
