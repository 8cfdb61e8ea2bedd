import Joi from 'joi';
import { pageResponse } from '../../http/common.schemas';

// --- responses ----------------------------------------------------------------------

export const publicUserResponse = Joi.object({
  id: Joi.string().guid().required(),
  username: Joi.string().required(),
  email: Joi.string().allow(null).required(),
  role: Joi.string().valid('admin', 'user').required(),
  disabled: Joi.boolean().required(),
  totpEnabled: Joi.boolean().required(),
  createdAt: Joi.string().isoDate().required(),
  updatedAt: Joi.string().isoDate().required(),
}).label('User');

export const userEnvelopeResponse = Joi.object({ user: publicUserResponse.required() });

export const userListResponse = pageResponse(publicUserResponse);
