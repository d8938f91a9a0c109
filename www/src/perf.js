// Keystroke-to-diagnostics timing, on when the page is opened with `?perf` (tests/e2e/perf.test.mjs).
// Per keystroke: key event -> validation starts, the validation itself, -> diagnostics in the DOM
// (squiggles, gutter, panel, verdict: all done in the keystroke's update), -> the next frame.
// The samples are in `window.cimdPerf.samples`.

export function createPerf() {
  if (!new URLSearchParams(location.search).has('perf')) return null;
  const perf = { samples: [], pending: null, validation: null };
  window.cimdPerf = perf;
  return {
    /** `validate` with its start and end recorded. */
    timed: (validate) => (text, options) => {
      const start = performance.now();
      const report = validate(text, options);
      perf.validation = { start, end: performance.now() };
      return report;
    },
    /** Times key events on the editor's content. */
    attach(view) {
      view.contentDOM.addEventListener('keydown', (e) => { perf.pending = e.timeStamp; }, true);
    },
    /** Called once the result of a change is in the DOM. */
    rendered(result) {
      if (perf.pending === null) return;
      const input = perf.pending;
      const rendered = performance.now();
      const { validation } = perf;
      perf.pending = null;
      requestAnimationFrame(() => {
        const { port1, port2 } = new MessageChannel();
        port1.onmessage = () => perf.samples.push({
          start: validation.start - input,
          validate: validation.end - validation.start,
          rendered: rendered - input,
          frame: performance.now() - input,
          bytes: result.text.length,
        });
        port2.postMessage(null);
      });
    },
  };
}
