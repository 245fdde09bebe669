// @ts-check
import { html, render } from "lit";

/** @type {import("../router.js").PageRender} */
export default function page(el) {
  render(html`<section class="page"><h1>label</h1></section>`, el);
}
