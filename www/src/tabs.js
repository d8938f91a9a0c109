// An accessible tab list (WAI-ARIA tabs pattern): arrow keys, Home and End move between tabs; only
// the selected tab is in the Tab order. `onShow(id)` runs when a panel becomes visible.
export function mountTabs(tablist, onShow) {
  const tabs = [...tablist.querySelectorAll('[role=tab]')];
  const panelOf = (tab) => document.getElementById(tab.getAttribute('aria-controls'));
  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      panelOf(t).hidden = !on;
    }
    if (focus) tab.focus();
    onShow(tab.getAttribute('aria-controls'));
  }
  tablist.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (tab) select(tab, false);
  });
  tablist.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length], true);
  });
  const initial = tabs.find((t) => t.getAttribute('aria-selected') === 'true') ?? tabs[0];
  select(initial, false);
  return {
    current: () => tabs.find((t) => t.getAttribute('aria-selected') === 'true').getAttribute('aria-controls'),
    show: (id) => select(tabs.find((t) => t.getAttribute('aria-controls') === id), false),
  };
}
