// Post text as DOM: linkify tokens become links, everything else text nodes.
import { linkify } from '../lib/linkify.js';
import { routeHash } from '../lib/router.js';
import { el } from './dom.js';

export function tokenNode(token) {
  switch (token.type) {
    case 'url':
      return el('a', { href: token.href, target: '_blank', rel: 'noopener noreferrer nofollow ugc' }, token.text);
    case 'mention':
      return el('a', { href: token.id ? routeHash('people', token.id) : routeHash('mention', token.name), class: 'mention' }, token.text);
    case 'hashtag':
      return el('a', { href: routeHash('tag', token.tag), class: 'hashtag' }, token.text);
    default:
      return document.createTextNode(token.text);
  }
}

/** A <p class="post-body"> with the text; line breaks kept by CSS (white-space: pre-wrap). */
export function PostBody(text) {
  const p = el('p', { class: 'post-body', dir: 'auto' });
  for (const token of linkify(text)) p.append(tokenNode(token));
  return p;
}
