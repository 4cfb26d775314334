// Runs the intents a PostCard bubbles up ("post-action" events), with confirm and feedback.
import { removePost, togglePin, sharePost, retryPost } from '../actions/posts.js';
import { errorMessage } from '../lib/errors.js';
import { t } from '../lib/i18n.js';
import { confirmDialog } from './confirm-dialog.js';
import { showToast } from './toast.js';

/** handlePostAction(detail, {pinned(updated), deleted(post), retried(updated), changed(updated)}) */
export async function handlePostAction({ action, post }, { pinned, deleted, retried, changed } = {}) {
  try {
    if (action === 'share') {
      await sharePost(post);
    } else if (action === 'kudos') {
      // The sheet and the picker load on first use: they stay out of the first load.
      const { openKudosSheet } = await import('./kudos-sheet.js');
      const people = await openKudosSheet(post);
      if (people) {
        post.kudos = people;
        showToast(t('kudos.saved'));
        await changed?.(post);
      }
    } else if (action === 'pin') {
      const updated = await togglePin(post);
      await pinned?.(updated);
    } else if (action === 'retry') {
      await retried?.(await retryPost(post));
    } else if (action === 'delete') {
      const ok = await confirmDialog({
        message: t('post.confirmDelete'), confirm: t('post.delete'), cancel: t('post.cancel'),
      });
      if (!ok) return;
      await removePost(post);
      await deleted?.(post);
    }
  } catch (err) {
    showToast(errorMessage(err, t));
  }
}
