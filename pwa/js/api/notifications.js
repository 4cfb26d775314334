// Endpoints: push subscriptions, notification preferences and the in-app list.
import { http } from './http.js';
import { withQuery } from '../lib/urls.js';

export const getPushKey = () => http().get('/api/push/key');
export const saveSubscription = (subscription) => http().post('/api/push/subscriptions', subscription);
export const deleteSubscription = (endpoint) => http().request('DELETE', '/api/push/subscriptions', { body: { endpoint } });
export const getPreferences = () => http().get('/api/notifications/preferences');
export const updatePreferences = (changes) => http().patch('/api/notifications/preferences', changes);
export const listNotifications = (cursor) => http().get(withQuery('/api/notifications', { cursor }));
export const markRead = (upTo) => http().post('/api/notifications/read', { up_to: upTo ?? null });
