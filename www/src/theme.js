// Light and dark themes: the system's choice until the user picks one, then theirs (remembered).
const KEY = 'cimd-theme';

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function currentTheme() {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme, remember = false) {
  document.documentElement.dataset.theme = theme;
  if (remember) {
    try {
      localStorage.setItem(KEY, theme);
    } catch { /* private mode: the choice lasts for this page only */ }
  }
}

/** Sets the initial theme and wires the toggle button (`aria-pressed` = dark). */
export function mountTheme(button) {
  const media = matchMedia('(prefers-color-scheme: dark)');
  applyTheme(stored() ?? (media.matches ? 'dark' : 'light'));
  const sync = () => button.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  media.addEventListener('change', (e) => {
    if (!stored()) {
      applyTheme(e.matches ? 'dark' : 'light');
      sync();
    }
  });
  button.addEventListener('click', () => {
    applyTheme(currentTheme() === 'dark' ? 'light' : 'dark', true);
    sync();
  });
  sync();
}
