import { test } from "node:test";
import assert from "node:assert/strict";
import { sanitizeHtml, safeUrl, decodeEntities } from "../lib/sanitize.js";

test("scripts, handlers and styles go; text stays", () => {
  assert.equal(sanitizeHtml('<p onclick="x()">Hi <b>there</b><script>alert(1)</script></p>'), "<p>Hi <b>there</b></p>");
  assert.equal(sanitizeHtml("<style>p{}</style><div style=\"background:url(x)\">a</div>"), "<div>a</div>");
  assert.equal(sanitizeHtml("<SCRIPT src=x></SCRIPT>ok"), "ok");
  assert.equal(sanitizeHtml("<svg><script>1</script><a href=javascript:x>t</a></svg>after"), "after");
  assert.equal(sanitizeHtml("<iframe src='https://x'></iframe><object data=x></object>z"), "z");
  assert.equal(sanitizeHtml("<img src=x onerror=alert(1)>"), '<img src="x" loading="lazy" referrerpolicy="no-referrer">');
});

test("dangerous URLs are removed, safe ones kept", () => {
  assert.equal(safeUrl("javascript:alert(1)"), false);
  assert.equal(safeUrl(" JaVa\tScRiPt:alert(1)"), false);
  assert.equal(safeUrl("jav&#x61;script:alert(1)"), false);
  assert.equal(safeUrl("&#106;avascript:x"), false);
  assert.equal(safeUrl("data:text/html,<script>"), false);
  assert.equal(safeUrl("vbscript:x"), false);
  assert.equal(safeUrl("https://example.com/a?b=1&c=2"), true);
  assert.equal(safeUrl("/relative/path"), true);
  assert.equal(safeUrl("#frag"), true);
  assert.equal(safeUrl("mailto:a@b.c"), true);
  assert.equal(sanitizeHtml('<a href="javascript:alert(1)">x</a>'), '<a rel="noopener noreferrer" target="_blank">x</a>');
  assert.equal(sanitizeHtml('<a href="https://e.com/?a=1&amp;b=2">x</a>'), '<a href="https://e.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">x</a>');
});

test("unknown tags are unwrapped, comments dropped, stray markup escaped", () => {
  assert.equal(sanitizeHtml("<custom-el>inner</custom-el><!-- c --><p>x</p>"), "inner<p>x</p>");
  assert.equal(sanitizeHtml("a < b > c &amp; d"), "a &lt; b &gt; c &amp; d");
  assert.equal(sanitizeHtml("<p>unclosed <b>bold"), "<p>unclosed <b>bold</b></p>");
  assert.equal(sanitizeHtml("</div>stray</p>"), "stray");
  assert.equal(sanitizeHtml('<p title="a&quot;b" data-x="1" id=k>t</p>'), '<p title="a&quot;b" id="k">t</p>');
  assert.equal(sanitizeHtml("<p>1<br/>2</p>"), "<p>1<br>2</p>");
});

test("attribute tricks cannot break out of quotes", () => {
  const out = sanitizeHtml(`<p title='x" onmouseover="alert(1)'>t</p>`);
  assert.equal(out, '<p title="x&quot; onmouseover=&quot;alert(1)">t</p>');
  assert.equal(sanitizeHtml('<p title="<script>">t</p>'), '<p title="&lt;script&gt;">t</p>');
});

test("entities", () => {
  assert.equal(decodeEntities("&lt;&#65;&#x42;&amp;&unknown;"), "<AB&&unknown;");
});
