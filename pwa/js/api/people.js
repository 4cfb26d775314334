// Endpoints: the people directory.
import { http } from './http.js';
import { withQuery } from '../lib/urls.js';

export const searchPeople = (q, cursor) => http().get(withQuery('/api/people', { q, cursor }));
export const getPerson = (id) => http().get(`/api/people/${encodeURIComponent(id)}`);
