// Search snippets as DOM: the server splits the text into segments ({text, hit}); hits become
// <mark>, everything is text (never innerHTML), so markup in a post stays visible as typed.

/** snippetNodes(segments, doc): an array of Text and <mark> nodes. */
export function snippetNodes(segments, doc = globalThis.document) {
  const nodes = [];
  for (const segment of segments || []) {
    const text = String(segment?.text ?? '');
    if (!text) continue;
    if (segment.hit) {
      const mark = doc.createElement('mark');
      mark.textContent = text;
      nodes.push(mark);
    } else {
      nodes.push(doc.createTextNode(text));
    }
  }
  return nodes;
}

/** Mention tokens read as "@Name" in a snippet, like in a post. */
export function readableMentions(text) {
  return String(text).replace(/@\[([^[\]\n]{1,100})\]\(user:\d{1,12}\)/g, '@$1');
}
