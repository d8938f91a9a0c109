// The CodeMirror 6 editor. Every transaction that changes the text or the options is validated
// synchronously by the core (a transaction extender), and the same transaction carries the report
// and the lint diagnostics: squiggles, gutter marks and the panels update in the frame of the keystroke.
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput, foldGutter, foldKeymap } from '@codemirror/language';
import { linter, lintGutter, lintKeymap, setDiagnosticsEffect } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { tags as t } from '@lezer/highlight';
import { toEditorDiagnostics } from './diagnostics.js';

/** `{url, profile, strict}`: what the document is validated with. */
export const setOptions = StateEffect.define();
const setResult = StateEffect.define();

const optionsField = StateField.define({
  create: () => ({ url: null, profile: 'mcp', strict: false }),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setOptions)) value = e.value;
    return value;
  },
});

/** `{report, error, text, options}` of the current text (report null when validation threw). */
export const resultField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setResult)) value = e.value;
    return value;
  },
});

function liveValidation(validate) {
  return EditorState.transactionExtender.of((tr) => {
    const set = tr.effects.find((e) => e.is(setOptions));
    if (!tr.docChanged && !set) return null;
    const options = set ? set.value : tr.startState.field(optionsField);
    const text = tr.newDoc.toString();
    let report = null;
    let error = null;
    try {
      report = validate(text, options);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const diagnostics = report
      ? toEditorDiagnostics(report, tr.newDoc)
      : [{ from: 0, to: Math.min(1, tr.newDoc.length), severity: 'error', message: `cannot validate: ${error}` }];
    return { effects: [setResult.of({ report, error, text, options }), setDiagnosticsEffect.of(diagnostics)] };
  });
}

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: 'var(--syn-property)' },
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: t.number, color: 'var(--syn-number)' },
  { tag: [t.bool, t.null], color: 'var(--syn-keyword)' },
  { tag: [t.brace, t.squareBracket, t.separator], color: 'var(--syn-punctuation)' },
  { tag: t.invalid, color: 'var(--error)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--editor-bg)', fontSize: '14px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: 'var(--selection)' },
  '.cm-gutters': { backgroundColor: 'var(--gutter-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--fg)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--match-bg)', outline: '1px solid var(--border-strong)' },
  '.cm-selectionMatch': { backgroundColor: 'var(--match-bg)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)', border: '1px solid var(--border-strong)', borderRadius: '6px' },
  '.cm-tooltip-lint': { maxWidth: 'min(34rem, 90vw)' },
  '.cm-diagnostic': { padding: '6px 10px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--error)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warning)' },
  '.cm-diagnostic-info': { borderLeftColor: 'var(--info)' },
  '.cm-panels': { backgroundColor: 'var(--panel-bg)', color: 'var(--fg)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--match-bg)', color: 'var(--fg)', border: 'none' },
});

/**
 * Creates the editor in `parent`. `validate(text, options)` returns the core's report;
 * `onResult(result, view)` runs after every update that brought a new result.
 */
export function createEditor({ parent, text, options, validate, onResult, label }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        EditorView.lineWrapping,
        json(),
        syntaxHighlighting(highlight),
        theme,
        linter(null),
        optionsField,
        resultField,
        liveValidation(validate),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' }),
        EditorView.updateListener.of((update) => {
          const result = update.state.field(resultField);
          if (result !== update.startState.field(resultField)) onResult(result, update.view);
        }),
      ],
    }),
  });
  view.dispatch({ effects: setOptions.of(options) });
  return view;
}

/** The options the text is validated with now. */
export function optionsOf(view) {
  return view.state.field(optionsField);
}

/** Replaces the whole text (an undo step of its own) and, when given, the options. */
export function replaceText(view, text, options) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: 0 },
    effects: options ? setOptions.of(options) : [],
    annotations: isolateHistory.of('full'),
    scrollIntoView: true,
  });
}

/** Selects `from..to`, scrolls it into view and focuses the editor. */
export function jumpTo(view, from, to) {
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}
