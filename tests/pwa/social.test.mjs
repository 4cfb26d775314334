import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reactionState, toggleReaction, totalReactions, hasReacted, KINDS } from '../../pwa/js/lib/reactions-model.js';
import { activeMention, insertMention, mentionToken } from '../../pwa/js/lib/mention-token.js';
import { snippetNodes, readableMentions } from '../../pwa/js/lib/snippet.js';
import { linkify } from '../../pwa/js/lib/linkify.js';

test('reaction state from a post fills every kind and keeps only known own kinds', () => {
  const state = reactionState({ reactions: { like: 2, idea: 1 }, my_reactions: ['idea', 'bogus'] });
  assert.deepEqual(state.counts, { like: 2, clap: 0, party: 0, idea: 1 });
  assert.deepEqual(state.mine, ['idea']);
  assert.equal(totalReactions(state), 3);
  assert.deepEqual(reactionState().counts, { like: 0, clap: 0, party: 0, idea: 0 });
});

test('toggling adds and removes the viewer own reaction without touching the original', () => {
  const before = reactionState({ reactions: { like: 2 }, my_reactions: [] });
  const liked = toggleReaction(before, 'like');
  assert.equal(liked.counts.like, 3);
  assert.ok(hasReacted(liked, 'like'));
  assert.equal(before.counts.like, 2, 'rollback keeps the previous state intact');
  const clapped = toggleReaction(liked, 'clap');
  assert.deepEqual(clapped.mine, ['like', 'clap']);
  const unliked = toggleReaction(clapped, 'like');
  assert.deepEqual(unliked.mine, ['clap']);
  assert.equal(unliked.counts.like, 2);
  assert.equal(toggleReaction(before, 'nope'), before);
  // Never below zero, even when the counts were stale.
  assert.equal(toggleReaction(reactionState({ my_reactions: ['like'] }), 'like').counts.like, 0);
  assert.equal(KINDS[0], 'like');
});

test('the mention being typed is found at the caret, not in e-mail addresses', () => {
  assert.deepEqual(activeMention('Thanks @An', 10), { start: 7, query: 'An' });
  assert.deepEqual(activeMention('@', 1), { start: 0, query: '' });
  assert.equal(activeMention('mail anna@example.com', 21), null);
  assert.equal(activeMention('Thanks @Ann done', 16), null);
  assert.deepEqual(activeMention('Hi @Jo and more', 6), { start: 3, query: 'Jo' });
});

test('picking a person inserts the token the server parses, and the caret follows it', () => {
  const { text, caret } = insertMention('Thanks @An for this', 10, { id: 42, name: 'Ann Smith' });
  assert.equal(text, 'Thanks @[Ann Smith](user:42) for this');
  assert.equal(text.slice(0, caret), 'Thanks @[Ann Smith](user:42) ');
  assert.equal(mentionToken({ id: 7, name: 'Evil] (name)' }), '@[Evil name](user:7)');
  // The token reads as a mention linked to the profile.
  const [, mention] = linkify(text);
  assert.deepEqual(mention, { type: 'mention', text: '@Ann Smith', name: 'Ann Smith', id: 42 });
});

test('a mention token does not make links or tags of the name inside it', () => {
  const tokens = linkify('@[Ann #1 www.x.org](user:3) #real');
  assert.deepEqual(tokens.map((t) => t.type), ['mention', 'text', 'hashtag']);
});

function fakeDocument() {
  return {
    createElement: (tag) => ({ nodeName: tag.toUpperCase(), textContent: '' }),
    createTextNode: (text) => ({ nodeName: '#text', textContent: text }),
  };
}

test('snippets become text nodes and <mark>s; markup in the text stays text', () => {
  const nodes = snippetNodes([
    { text: '<img src=x onerror=alert(1)> the ', hit: false },
    { text: 'sourdough', hit: true },
    { text: '', hit: true },
    { text: ' recipe', hit: false },
  ], fakeDocument());
  assert.deepEqual(nodes.map((n) => [n.nodeName, n.textContent]), [
    ['#text', '<img src=x onerror=alert(1)> the '], ['MARK', 'sourdough'], ['#text', ' recipe'],
  ]);
  assert.deepEqual(snippetNodes(null, fakeDocument()), []);
  assert.equal(readableMentions('thanks @[Ann Smith](user:4)!'), 'thanks @Ann Smith!');
});
