// Endpoints: announcements (compose, confirm, video progress, stats, remind).
import { http } from './http.js';

const path = (id, rest) => `/api/announcements/${encodeURIComponent(id)}/${rest}`;

export const createAnnouncement = (payload) => http().post('/api/announcements', payload);
export const getAudiences = () => http().get('/api/announcements/audiences');
export const acknowledge = (id) => http().post(path(id, 'ack'), {});
export const reportProgress = (id, fraction) => http().post(path(id, 'progress'), { fraction });
export const getStats = (id, cursor = null) =>
  http().get(path(id, 'stats') + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''));
export const remind = (id) => http().post(path(id, 'remind'), {});
