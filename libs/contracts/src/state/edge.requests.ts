import { z } from 'zod';
import { defineCommand, defineQuery, tokenSchema } from '../envelope';
import { edgeRegistrationSchema, edgeViewSchema } from './edge.schemas';

export const STATE_DOMAIN = 'state';

export const RegisterEdge = defineCommand(STATE_DOMAIN, 'edge.register', {
  data: edgeRegistrationSchema,
  result: edgeViewSchema,
});

export const GetEdge = defineQuery(STATE_DOMAIN, 'edge.get', {
  data: z.strictObject({ edgeId: tokenSchema }),
  result: edgeViewSchema,
});
