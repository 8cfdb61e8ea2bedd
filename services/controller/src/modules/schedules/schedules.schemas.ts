import Joi from 'joi';
import { isoDate, uuid } from '../../http/common.schemas';
import { targetKeys, targetViewKeys } from '../devices/devices.schemas';
import { WEEKDAYS, type WeeklyWindow } from './schedule-windows';

/** How many windows one schedule may have. */
export const MAX_WINDOWS = 14;

export const scheduleParams = Joi.object({ id: uuid.required(), scheduleId: uuid.required() });

const time = (pattern: RegExp) => Joi.string().pattern(pattern, 'HH:MM');

/** One weekly window; the days keep the week's order (Sunday first). */
const weeklyWindow = Joi.object({
  days: Joi.array()
    .items(Joi.string().valid(...WEEKDAYS))
    .min(1)
    .max(7)
    .unique()
    .required()
    .description('The days the window starts on'),
  start: time(/^([01]\d|2[0-3]):[0-5]\d$/).required().description('Local time HH:MM'),
  end: time(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/)
    .required()
    .description('Local time HH:MM (24:00 is midnight at the end of the day); at or before start means the next day'),
})
  .custom((w: WeeklyWindow, helpers) => {
    if (w.start === w.end) return helpers.error('window.empty');
    return { ...w, days: WEEKDAYS.filter((d) => w.days.includes(d)) };
  })
  .messages({ 'window.empty': "{{#label}}: a window's end must differ from its start (00:00 to 24:00 is a whole day)" })
  .label('WeeklyWindow');

const windows = Joi.array().items(weeklyWindow).min(1).max(MAX_WINDOWS);
const label = Joi.string().trim().min(1).max(100);

export const createScheduleBody = Joi.object({
  ...targetKeys,
  windows: windows.required(),
  label: label.description('A name for it, e.g. Bedtime'),
  enabled: Joi.boolean().default(true).description('false: paused, blocks nothing'),
}).xor('deviceId', 'mac', 'ip');

export const updateScheduleBody = Joi.object({
  ...targetKeys,
  windows,
  label: label.allow(null),
  enabled: Joi.boolean(),
})
  .oxor('deviceId', 'mac', 'ip')
  .min(1);

// --- responses ---

export const scheduleResponse = Joi.object({
  id: uuid.required(),
  routerId: uuid.required(),
  ...targetViewKeys,
  label: Joi.string().allow(null).required(),
  windows: Joi.array()
    .items(Joi.object({ days: Joi.array().items(Joi.string().valid(...WEEKDAYS)).required(), start: Joi.string().required(), end: Joi.string().required() }))
    .required(),
  enabled: Joi.boolean().required(),
  timeZone: Joi.string().required().description("The router's time zone, in which the windows are read"),
  active: Joi.boolean().required().description('Whether a window is open now (the device is blocked by this schedule)'),
  nextChangeAt: isoDate.allow(null).required().description('When the open window closes, or the next one opens; null when paused or never'),
  createdBy: uuid.allow(null).required(),
  createdAt: isoDate.required(),
  updatedAt: isoDate.required(),
}).label('Schedule');

export const scheduleListResponse = Joi.object({ items: Joi.array().items(scheduleResponse).required() });
