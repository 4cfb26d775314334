// The stylesheet of the screens loaded on demand, added once; resolves when it applies.
let ready = null;

export function socialStyles() {
  ready ??= new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL('../../css/social.css', import.meta.url).href;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
  return ready;
}
