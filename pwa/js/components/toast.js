// Short feedback messages in a polite live region.

let timer = null;

export function showToast(text, { region = document.getElementById('toast'), ms = 3500 } = {}) {
  if (!region) return;
  region.textContent = text;
  region.classList.add('visible');
  clearTimeout(timer);
  timer = setTimeout(() => {
    region.classList.remove('visible');
    region.textContent = '';
  }, ms);
}
