// The stylesheet of the screens loaded on demand, added once; resolves when it applies.
let ready = null;

export function socialStyles() {
  ready ??= new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    // Relative to the page, not this module: the built app bundles modules into other paths.
    link.href = new URL('css/social.css', document.baseURI).href;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
  return ready;
}
