import Joi from 'joi';
import { emailSchema, usernameSchema } from '../auth/auth.schemas';
import { ROLES } from './user.entity';

export const userIdParams = Joi.object({
  id: Joi.string().guid().required(),
});

export const createUserBody = Joi.object({
  username: usernameSchema.required(),
  password: Joi.string().min(1).max(1024).required(),
  email: emailSchema.allow(null),
  role: Joi.string()
    .valid(...ROLES)
    .default('user'),
});

export const updateUserBody = Joi.object({
  role: Joi.string().valid(...ROLES),
  disabled: Joi.boolean(),
  email: emailSchema.allow(null),
  password: Joi.string().min(1).max(1024),
  resetTwoFactor: Joi.boolean().valid(true),
})
  .min(1)
  .messages({ 'object.min': 'Give at least one of role, disabled, email, password, resetTwoFactor' });

