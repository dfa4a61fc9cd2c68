// The HMAC the robot platforms sign with (DingTalk, Feishu): node:crypto's, for the pure message builders.
import { createHmac } from 'node:crypto';
import type { Hmac } from './domain/messages.ts';

export const hmacSha256Base64: Hmac = (key, message) => createHmac('sha256', key).update(message).digest('base64');
