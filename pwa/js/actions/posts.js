// Intents on posts: publish, delete, pin/unpin, share.
import * as api from '../api/posts.js';
import { appLink } from '../lib/urls.js';
import { routeHash } from '../lib/router.js';
import { t } from '../lib/i18n.js';
import { showToast } from '../components/toast.js';
import { store } from './app-state.js';

/** key: the Idempotency-Key of this post, the same on every retry of it. */
export async function publishPost(payload, key = null) {
  const post = await api.createPost(payload, key);
  store.set({ justPosted: post });
  showToast(t(post.status === 'processing' ? 'compose.postedProcessing' : 'compose.posted'));
  return post;
}

/** The author's Retry on a failed post: it goes back to processing. */
export async function retryPost(post) {
  const updated = await api.retryPost(post.id);
  showToast(t('post.retrying'));
  return updated;
}

export async function removePost(post) {
  await api.deletePost(post.id);
  showToast(t('post.deleted'));
}

export async function togglePin(post) {
  const updated = post.pinned ? await api.unpinPost(post.id) : await api.pinPost(post.id);
  showToast(t(updated.pinned ? 'post.pinDone' : 'post.unpinDone'));
  return updated;
}

export function postLink(post) {
  return appLink(location.href, routeHash('post', post.id));
}

/** The system share sheet where there is one, else copy the link. */
export async function sharePost(post) {
  const url = postLink(post);
  if (navigator.share) {
    try {
      await navigator.share({ title: `${post.author?.name ?? ''} · Hallway`, url });
      return;
    } catch (err) {
      if (err?.name === 'AbortError') return; // the person closed the sheet
    }
  }
  await copyText(url);
  showToast(t('post.linkCopied'));
}

/** Clipboard API, with the old selection trick when it is unavailable (plain http). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
