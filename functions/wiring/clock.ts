import { ulid } from 'ulid';
import type { Clock } from '../app/ports.js';

export const systemClock: Clock = { now: () => new Date() };
export const newId = () => ulid();
