// @ts-check
/**
 * The list of config problems under the editor: each names its line and jumps there when
 * clicked (P6); a dangling name gets "Did you mean …?" with a one-click fix, or the names that
 * exist. Rendered inside a polite live region so screen readers hear new problems.
 */
import { html } from "lit";
import { icon } from "../ui.js";
import { matchHints } from "./suggest.js";

/** @typedef {import("./suggest.js").NameHint} NameHint */

/**
 * @param {{issues: import("./suggest.js").ConfigIssue[], hints: NameHint[], onJump: (line: number|null|undefined) => void, onFix: (hint: NameHint) => void}} props
 */
export function renderIssues({ issues, hints, onJump, onFix }) {
  const rows = matchHints(issues, hints);
  return html`
    <div class="ls-issues" id="ls-issues" aria-live="polite">
      ${rows.length
        ? html`<ul>
            ${rows.map(({ issue, hint }) => html`
              <li class="ls-issue">
                <button type="button" class="ls-issue-jump" @click=${() => onJump(issue.line)} aria-label="Go to line ${issue.line ?? 1}: ${issue.message}">
                  ${icon("warning")}<span class="ls-issue-line">${issue.line ? `Line ${issue.line}` : "Config"}</span><span class="ls-issue-msg">${issue.message}</span>
                </button>
                ${hint
                  ? hint.suggestion
                    ? html`<span class="ls-hint"><span>Did you mean <code>${hint.suggestion}</code>?</span>
                        <button type="button" class="btn btn-sm" @click=${() => onFix(hint)}>Use “${hint.suggestion}”</button></span>`
                    : html`<span class="ls-hint muted"><span>Names you can use: ${hint.names.map((n, i) => html`${i ? ", " : ""}<code>${n}</code>`)}</span></span>`
                  : null}
              </li>`)}
          </ul>`
        : null}
    </div>`;
}
